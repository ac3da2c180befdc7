package site

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestTheBinaryIsKnownByItsGoBuildID(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go is needed to read the test binary's build ID: %v", err)
	}
	out, err := exec.Command(goTool, "tool", "buildid", exe).Output()
	if err != nil {
		t.Fatalf("go tool buildid: %v", err)
	}
	want := strings.TrimSpace(string(out))
	if got := goBuildID(exe); got != want {
		t.Errorf("goBuildID = %q, go tool buildid says %q", got, want)
	}
	if id := binaryIdentity(); !strings.HasSuffix(id, " buildid="+want) {
		t.Errorf("binaryIdentity = %q, want it to end with the build ID", id)
	}
	// A file that is no Go binary has none; the identity then hashes the content.
	other := writeTestFile(t, t.TempDir(), "humas", "#!/bin/sh\n")
	if got := goBuildID(other); got != "" {
		t.Errorf("goBuildID of a script = %q", got)
	}
}

func TestAnotherHumasRendersEveryPageAgain(t *testing.T) {
	in := newTestProject(t)
	in.binary = "go1.26.8 github.com/balikpapan/humas@v1.0.0 buildid=a/b/c/d"
	rels := fixtureReleases()
	stamp, _, _ := upToDate(in, Options{}, testNow)
	mustBuild(t, in, rels, Options{Stamp: stamp})
	if _, _, ok := upToDate(in, Options{}, testNow); !ok {
		t.Fatal("not up to date after a build")
	}
	if st := mustBuild(t, in, rels, Options{}); st.Full || st.Articles != 0 {
		t.Errorf("the same humas again: %+v, want nothing rendered", st)
	}

	in.binary = "go1.26.8 github.com/balikpapan/humas@v1.1.0 buildid=e/f/g/h"
	if _, _, ok := upToDate(in, Options{}, testNow); ok {
		t.Error("up to date for another humas")
	}
	if st := mustBuild(t, in, rels, Options{}); !st.Full || st.Articles != 2 {
		t.Errorf("an upgraded humas: %+v, want every page rendered again", st)
	}
}
