//go:build tools

// Package deps pins modules that packages being written will import, so that go.mod
// stays stable while they land. Remove an import here once real code uses it.
package deps

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/dghubble/oauth1"
	_ "github.com/fsnotify/fsnotify"
	_ "github.com/goccy/go-yaml"
	_ "github.com/rogpeppe/go-internal/testscript"
	_ "github.com/yuin/goldmark"
	_ "golang.org/x/text/unicode/norm"
)
