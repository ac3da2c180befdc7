package repost

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/balikpapan/humas/internal/parallel"
	"github.com/balikpapan/humas/publish/config"
)

// Source is one partner's feed as this run reads it.
type Source struct {
	Partner config.Partner
	// State is what the last run knew, updated with this run's answer; it is
	// saved once the items are reposted.
	State *State
	// Items are what the partner publishes now, newest first: the feed just read,
	// or the items of State when the feed answered 304.
	Items   []Item
	Fetched Fetched
	// Changed: State differs from what was loaded (new items or validators)
	// and must be saved.
	Changed bool
	// Err is the partner's failure (its feed down, malformed, oversized or
	// carrying script, or its state file damaged): its items are not reposted,
	// and the other partners go ahead.
	Err error
}

// Read loads each partner's state from root and reads its feed, at most
// f.Concurrency at once, each with its own deadline. A partner's failure is in
// its Source, never the others'.
func (f *Fetcher) Read(ctx context.Context, root string, partners []config.Partner, now time.Time) []*Source {
	out := make([]*Source, len(partners))
	n := f.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	parallel.For(len(partners), n, func(i int) {
		s := &Source{Partner: partners[i]}
		out[i] = s
		st, err := LoadState(root, s.Partner.Key)
		if err != nil {
			s.Err = err
			return
		}
		s.State = st
		s.Fetched, s.Err = f.Fetch(ctx, s.Partner.Feed, st)
		if s.Err != nil {
			return
		}
		if s.Fetched.NotModified {
			s.Items = st.Items
			s.Changed = st.ETag != s.Fetched.ETag || st.LastModified != s.Fetched.LastModified
			st.ETag, st.LastModified = s.Fetched.ETag, s.Fetched.LastModified
			return
		}
		items, err := itemsOf(s.Fetched, s.Partner.Feed)
		if err != nil {
			s.Err = err
			return
		}
		s.Items, s.Changed = items, true
		st.Feed, st.ETag, st.LastModified, st.Checked, st.Items = s.Partner.Feed, s.Fetched.ETag, s.Fetched.LastModified, now, items
	})
	return out
}

// itemsOf keeps what repost needs of a feed read from feedURL. Every item's article
// must be on the feed's own site: a feed that links elsewhere would have us send
// readers where the partner never published.
func itemsOf(fd Fetched, feedURL string) ([]Item, error) {
	base, err := url.Parse(feedURL)
	if err != nil {
		return nil, &FetchError{URL: feedURL, Problem: err.Error()}
	}
	items := make([]Item, 0, len(fd.Feed.Items))
	for i, it := range fd.Feed.Items {
		u, err := url.Parse(it.URL)
		if err != nil || u.Scheme != base.Scheme || u.Host != base.Host {
			return nil, &FetchError{URL: feedURL, Problem: fmt.Sprintf("not a valid humas feed: items[%d] (%s): url: not on the feed's site %s://%s", i, it.URL, base.Scheme, base.Host)}
		}
		items = append(items, ItemOf(it))
	}
	return items, nil
}
