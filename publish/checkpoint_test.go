package publish

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestCheckpointKeepsOnlyWhatWasRecorded(t *testing.T) {
	t.Run("a recorded id is kept for the next attempt", func(t *testing.T) {
		var saved []string
		c := &Checkpoint{Save: func(id string) error { saved = append(saved, id); return nil }}
		if err := c.Record("17890001"); err != nil {
			t.Fatal(err)
		}
		if c.Resume() != "17890001" || len(saved) != 1 || saved[0] != "17890001" {
			t.Fatalf("resume %q, saved %q; want the id saved once and kept", c.Resume(), saved)
		}
	})
	t.Run("an id the caller could not save is not kept", func(t *testing.T) {
		disk := errors.New("disk full")
		c := &Checkpoint{ID: "old", Save: func(string) error { return disk }}
		if err := c.Record("new"); !errors.Is(err, disk) {
			t.Fatalf("err = %v; want the save error", err)
		}
		if c.Resume() != "old" {
			t.Fatalf("resume %q; want the id that was recorded, old", c.Resume())
		}
	})
	t.Run("no checkpoint records nothing and resumes nothing", func(t *testing.T) {
		var c *Checkpoint
		if err := c.Record("x"); err != nil || c.Resume() != "" {
			t.Fatalf("record = %v, resume %q; want nil and empty", err, c.Resume())
		}
	})
}

func TestQuotaFreesIsFoundThroughWrapping(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	err := fmt.Errorf("kpu/instagram: %w", &Error{Platform: "instagram", Op: "post", QuotaFrees: at})
	if got, ok := QuotaFrees(err); !ok || !got.Equal(at) {
		t.Fatalf("QuotaFrees = %v, %v; want %v", got, ok, at)
	}
	if _, ok := QuotaFrees(&Error{Platform: "x", Op: "post", Status: 429}); ok {
		t.Fatal("a rate limit is not a spent quota")
	}
}
