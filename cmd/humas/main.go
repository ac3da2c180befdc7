// Command humas publishes press releases: it builds the office's website from Markdown
// releases and cross-posts each release, exactly once, to every account taking part.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], newFactory()))
}
