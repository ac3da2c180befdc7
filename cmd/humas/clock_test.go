package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

var placeholder = regexp.MustCompile(`\{\{now([+-][0-9a-z.]+)?\}\}`)

// clockVar names the file that holds a scenario's time. Only the test binary reads
// it: the humas it runs as takes its time from the file once a scenario has set
// one, so "clock sleep 6s" moves past a 5-second embargo at once and exactly,
// however loaded the machine is, instead of racing the wall clock.
const clockVar = "HUMAS_TEST_CLOCK"

// scriptClock is the clock of a humas run by a scenario: the scenario's time, then
// as much again as has passed since the process started. nil when the scenario has
// set no time (the wall clock serves).
func scriptClock(file string) func() time.Time {
	if file == "" {
		return nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	base, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(b)))
	if err != nil {
		return nil
	}
	start := time.Now()
	return func() time.Time { return base.Add(time.Since(start)) }
}

// cmdClock lets scenarios speak of times relative to the moment they run:
//
//	clock subst FILE…     replace {{now}}, {{now+3s}}, {{now-1h}} in FILE with RFC 3339 times (WITA)
//	clock sleep DURATION  let that much time pass for every humas run after it (no real wait)
func cmdClock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: clock subst FILE… | clock sleep DURATION")
	}
	switch args[0] {
	case "subst":
		now := scenarioNow(ts).In(time.FixedZone("WITA", 8*3600)).Truncate(time.Second)
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
		setScenarioNow(ts, scenarioNow(ts).Add(d))
	default:
		ts.Fatalf("clock: unknown subcommand %q", args[0])
	}
}

// scenarioNow is the scenario's time, set to the wall clock (to the second) the
// first time it is asked.
func scenarioNow(ts *testscript.TestScript) time.Time {
	if now := scriptClock(ts.Getenv(clockVar)); now != nil {
		b, err := os.ReadFile(ts.Getenv(clockVar))
		ts.Check(err)
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(b)))
		ts.Check(err)
		return t
	}
	now := time.Now().Truncate(time.Second)
	setScenarioNow(ts, now)
	return now
}

func setScenarioNow(ts *testscript.TestScript, t time.Time) {
	file := ts.Getenv(clockVar)
	ts.Check(os.MkdirAll(filepath.Dir(file), 0o755))
	ts.Check(os.WriteFile(file, []byte(t.Format(time.RFC3339Nano)+"\n"), 0o644))
}
