package instagram

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/internal/graph"
)

// Graph error codes, from Graph's "Handling Errors" guide.
const (
	codeUnknown        = 1
	codeService        = 2
	codeTooManyCalls   = 4
	codeUserTooMany    = 17
	codePageTooMany    = 32
	codeAppTooMany     = 341
	codeTooManyActions = 613
	codeParam          = 100
	codeExpired        = 190
	codePermission     = 10
	codeBlocked        = 368

	// subObjectMissing comes with codeParam when the id names nothing the token
	// can see ("Unsupported get request. Object with ID ... does not exist").
	subObjectMissing = 33
)

// Instagram's own subcodes, from the Instagram Platform's "Error Codes" reference
// (the top-level code each comes with is in igfake, which answers them).
const (
	subServerError    = 2207001 // Instagram server error: try again
	subDownloadSlow   = 2207003 // timeout downloading the media: try again
	subImageTooLarge  = 2207004 // larger than 8 MiB
	subImageFormat    = 2207005 // not a format Instagram takes (it takes JPEG)
	subBuilderMissing = 2207008 // container not found or not ready: try again
	subAspectRatio    = 2207009 // outside 4:5 to 1.91:1
	subMediaExpired   = 2207020 // container expired: make a new one
	subVideoFormat    = 2207026 // unsupported video format
	subNotReady       = 2207027 // container not finished: wait
	subCreateFailed   = 2207032 // creating the container failed: make it again
	subPublishLimit   = 2207042 // the account's publishing limit is reached
	subUserInactive   = 2207050 // the account is restricted or inactive
	subSpam           = 2207051 // the action was restricted as possible spam
	subDownloadFailed = 2207052 // the media could not be fetched from image_url
	subUploadUnknown  = 2207053 // unknown upload error: make a new container
)

// refusal is a classified Graph answer that still carries Graph's codes, for the
// two the adapter acts on itself (a spent publishing limit, a missing object).
type refusal struct {
	pe            *publish.Error
	code, subcode int
}

func (r *refusal) Error() string { return r.pe.Error() }
func (r *refusal) Unwrap() error { return r.pe }

// classify reads one Graph answer. It returns nil for a success and otherwise the
// refusal, classified permanent or transient once, here, with the fix when the
// platform's answer has one a press officer can act on.
func classify(op string, status int, h http.Header, body []byte) *refusal {
	ge := graph.ErrorOf(body)
	if ge == nil && status >= 200 && status < 300 {
		return nil
	}
	pe := &publish.Error{
		Platform:   Name,
		Op:         op,
		Status:     status,
		Kind:       publish.Permanent,
		RetryAfter: retryAfter(h),
	}
	r := &refusal{pe: pe}
	pe.Delivery = publish.Answered(status)
	if ge == nil {
		pe.Message = http.StatusText(status)
		if status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout {
			pe.Kind = publish.Transient
		}
		return r
	}
	r.code, r.subcode = ge.Code, ge.Subcode
	pe.Code = strconv.Itoa(ge.Code)
	pe.Message = ge.Message
	if ge.Type != "" && !strings.HasPrefix(ge.Message, ge.Type) {
		pe.Message = ge.Type + ": " + ge.Message
	}
	if ge.UserTitle != "" || ge.UserMsg != "" {
		pe.Message += " (" + strings.TrimSpace(strings.Trim(ge.UserTitle+": "+ge.UserMsg, ": ")) + ")"
	}
	if ge.Subcode != 0 {
		pe.Message += " (subcode " + strconv.Itoa(ge.Subcode) + ")"
	}
	if fix := fixFor(ge.Code, ge.Subcode); fix != "" {
		pe.Message += ": " + fix
	}
	switch {
	case permanentAnswer(ge.Code, ge.Subcode):
		pe.Kind = publish.Permanent
	case transientAnswer(ge.Code, ge.Subcode), ge.IsTransient,
		status >= 500, status == http.StatusTooManyRequests, status == http.StatusRequestTimeout:
		pe.Kind = publish.Transient
	}
	return r
}

// permanentAnswer is an answer that the same request will get again, whatever the
// status and is_transient say: a refused token, a missing permission, a refused
// image, or an account Instagram has restricted.
func permanentAnswer(code, subcode int) bool {
	switch subcode {
	case subImageTooLarge, subImageFormat, subAspectRatio, subVideoFormat, subUserInactive, subSpam:
		return true
	}
	switch {
	case code == codeExpired, code == codePermission, code == codeBlocked:
		return true
	case code >= 200 && code < 300:
		return true
	case code >= 36000 && code <= 36004: // media refused for its size, format or shape
		return true
	}
	return false
}

// transientAnswer is an answer that may go away: Graph's rate limits and temporary
// errors, and the Instagram subcodes whose documented fix is to try again (with a
// new container, which a retry makes).
func transientAnswer(code, subcode int) bool {
	switch subcode {
	case subServerError, subDownloadSlow, subBuilderMissing, subMediaExpired, subNotReady,
		subCreateFailed, subDownloadFailed, subUploadUnknown, subPublishLimit:
		// A failed download is usually the live site not serving the image yet:
		// publish waits for it, and a retry fetches again.
		return true
	}
	switch code {
	case codeUnknown, codeService, codeTooManyCalls, codeUserTooMany, codePageTooMany,
		codeAppTooMany, codeTooManyActions, -1, -2:
		return true
	}
	return false
}

// fixFor is what a person can do about a permanent answer, in humas's words.
func fixFor(code, subcode int) string {
	switch subcode {
	case subImageTooLarge, subImageFormat, subAspectRatio:
		return "Instagram takes a JPEG of at most 8 MB between 4:5 and 1.91:1; humas check names the release's image"
	case subDownloadFailed:
		return "Instagram could not fetch image_url: the image must answer 200 on the live site, without login or bot protection"
	case subSpam, subUserInactive:
		return "Instagram has restricted the account: open it in the Instagram app and follow what it asks"
	}
	switch {
	case code == codeExpired:
		return "the token is expired or revoked: make a new long-lived token and put it in the CI secret"
	case code == codePermission, code >= 200 && code < 300:
		return "the token lacks a permission: grant instagram_basic, instagram_content_publish and pages_read_engagement"
	}
	return ""
}

// retryAfter is the wait Graph asks of Instagram's calls, which it counts in
// Business Use Case usage only (X-Business-Use-Case-Usage).
func retryAfter(h http.Header) time.Duration { return graph.RetryAfter(h) }
