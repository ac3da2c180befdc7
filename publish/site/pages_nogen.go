//go:build humas_nogen

package site

// Built without pages_gen.go, as go generate builds the package to write it:
// html/template renders every page.
const generatedSum = ""

func writeArticlePage(pageWriter, *pageData) { panic("site: built without pages_gen.go") }

func writeIndexPage(pageWriter, *pageData) { panic("site: built without pages_gen.go") }

func writeTagPage(pageWriter, *pageData) { panic("site: built without pages_gen.go") }

func writeCard(pageWriter, *card) { panic("site: built without pages_gen.go") }
