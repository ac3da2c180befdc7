package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the humas command inside scripts, so every
// scenario runs the real command line in its own process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"humas": func() {
			f := newFactory()
			if now := scriptClock(os.Getenv(clockVar)); now != nil {
				f.Now = now
			}
			os.Exit(run(os.Args[1:], f))
		},
	})
}

// TestScripts runs every scenario in testdata/script: one behaviour a file.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: false,
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			// The scenario's clock (clock subst, clock sleep) is a file the humas
			// it runs reads its time from.
			env.Setenv(clockVar, filepath.Join(env.WorkDir, ".tmp", "clock"))
			project, err := filepath.Abs("testdata/project")
			if err != nil {
				return err
			}
			env.Setenv("PROJECT", project)
			env.Values[fakesKey] = &fakesHolder{}
			env.Values[mailpitKey] = &mailpitHolder{}
			env.Values[sitesKey] = &sites{served: map[string][]int{}}
			return nil
		},
		Cmds: scriptCmds(),
		Condition: func(cond string) (bool, error) {
			if cond == "mailpit" {
				return mailpitCondition()
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// scriptCmds are the custom commands scenarios use (fake platform servers and the
// assertions on them live here as they land).
func scriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"fakes":         cmdFakes,
		"clock":         cmdClock,
		"image":         cmdImage,
		"mkfifo":        cmdMkfifo,
		"unescape":      cmdUnescape,
		"encode":        cmdEncode,
		"mailpit":       cmdMailpit,
		"sites":         cmdSites,
		"upgrade-humas": cmdUpgrade,
	}
}
