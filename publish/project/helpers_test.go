package project

import "github.com/balikpapan/humas/publish/release"

func releaseFiles(root string) ([]string, error) { return release.Glob(root) }
