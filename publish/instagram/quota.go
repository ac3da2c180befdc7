package instagram

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/balikpapan/humas/publish"
)

// freesSteps is how many reads the search for the time a spent quota frees may
// take: each halves the uncertainty, so 8 reads place it within 1/256 of the
// 24-hour window (under six minutes).
const freesSteps = 8

// sinceMargin keeps the since parameter inside the "no older than 24 hours" that
// content_publishing_limit requires, whatever the clocks' small disagreement.
const sinceMargin = time.Minute

type usage struct {
	Used   int
	Total  int
	Window time.Duration
}

// usage reads how many posts the account published through the API in the quota's
// window (GET /{ig-user-id}/content_publishing_limit), or since a given time.
func (c *Client) usage(ctx context.Context, since time.Time) (usage, error) {
	q := url.Values{"fields": {"quota_usage,config"}}
	if !since.IsZero() {
		q.Set("since", strconv.FormatInt(since.Unix(), 10))
	}
	var out struct {
		Data []struct {
			QuotaUsage int `json:"quota_usage"`
			Config     struct {
				QuotaTotal    int `json:"quota_total"`
				QuotaDuration int `json:"quota_duration"`
			} `json:"config"`
		} `json:"data"`
	}
	if err := c.get(ctx, "post", "/"+url.PathEscape(c.userID)+"/content_publishing_limit", q, &out); err != nil {
		return usage{}, err
	}
	if len(out.Data) == 0 {
		return usage{}, c.malformed("post", "content_publishing_limit answered no data")
	}
	d := out.Data[0]
	u := usage{Used: d.QuotaUsage, Total: d.Config.QuotaTotal, Window: time.Duration(d.Config.QuotaDuration) * time.Second}
	if u.Total <= 0 {
		u.Total = PublishingLimit
	}
	if u.Window <= 0 {
		u.Window = 24 * time.Hour
	}
	return u, nil
}

// checkQuota reads the publishing limit before anything is sent. A spent quota is
// not a failure: it comes back as a classified error carrying when a post can go out
// again (publish.QuotaFrees), transient so a retry that can wait that long does.
func (c *Client) checkQuota(ctx context.Context) error {
	u, err := c.usage(ctx, time.Time{})
	if err != nil {
		return err
	}
	if u.Used < u.Total {
		return nil
	}
	now := c.now()
	frees := c.freesBy(ctx, u, now)
	return &publish.Error{
		Platform:   Name,
		Op:         "post",
		Status:     http.StatusOK,
		Code:       "publishing-limit",
		Kind:       publish.Transient,
		RetryAfter: max(frees.Sub(now), 0),
		QuotaFrees: frees,
		Message: fmt.Sprintf("the account has published %d of the %d posts Instagram allows in %s; nothing was sent, and the next post can go out by %s",
			u.Used, u.Total, u.Window, frees.UTC().Format(time.RFC3339)),
	}
}

// freesBy finds when the quota frees: the first time t at which fewer than Total
// posts were published in (t-Window, t]. Graph counts posts published since a
// given time, so a binary search over the window's start finds it; the answer is
// rounded late, never early: by then a slot is free. A read that fails ends the
// search with what is known.
func (c *Client) freesBy(ctx context.Context, u usage, now time.Time) time.Time {
	lo := now.Add(-u.Window + sinceMargin) // posts since lo still fill the quota
	hi := now                              // nothing was published after now
	if first, err := c.usage(ctx, lo); err != nil || first.Used < u.Total {
		// The oldest posts leave the window within the margin.
		return lo.Add(u.Window)
	}
	for range freesSteps {
		mid := lo.Add(hi.Sub(lo) / 2)
		got, err := c.usage(ctx, mid)
		if err != nil {
			break
		}
		if got.Used >= u.Total {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi.Add(u.Window).Truncate(time.Second).Add(time.Second)
}
