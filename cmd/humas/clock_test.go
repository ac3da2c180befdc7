package main

import (
	"os"
	"regexp"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

var placeholder = regexp.MustCompile(`\{\{now([+-][0-9a-z.]+)?\}\}`)

// cmdClock lets scenarios speak of times relative to the moment they run:
//
//	clock subst FILE…     replace {{now}}, {{now+3s}}, {{now-1h}} in FILE with RFC 3339 times (WITA)
//	clock sleep DURATION  let that much time pass
func cmdClock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: clock subst FILE… | clock sleep DURATION")
	}
	switch args[0] {
	case "subst":
		now := time.Now().In(time.FixedZone("WITA", 8*3600)).Truncate(time.Second)
		for _, name := range args[1:] {
			path := ts.MkAbs(name)
			b, err := os.ReadFile(path)
			ts.Check(err)
			var bad error
			out := placeholder.ReplaceAllFunc(b, func(m []byte) []byte {
				var d time.Duration
				if sub := placeholder.FindSubmatch(m); len(sub[1]) > 0 {
					var err error
					if d, err = time.ParseDuration(string(sub[1])); err != nil {
						bad = err
					}
				}
				return []byte(now.Add(d).Format(time.RFC3339))
			})
			ts.Check(bad)
			ts.Check(os.WriteFile(path, out, 0o644))
		}
	case "sleep":
		d, err := time.ParseDuration(args[1])
		ts.Check(err)
		time.Sleep(d)
	default:
		ts.Fatalf("clock: unknown subcommand %q", args[0])
	}
}
