package serve

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
)

// reloadScript reloads the page when the server announces a build other than the one
// the page came from. EventSource reconnects by itself after the server restarts.
const reloadScript = `<script>/* humas serve: reload on rebuild */(()=>{const b="%d";const e=new EventSource(%q);e.onmessage=m=>{if(m.data!==b){e.close();location.reload()}}})();</script>`

// InjectReload adds the live-reload script to an HTML page served from build gen, just
// before </body> where there is one, so the page stays valid.
func InjectReload(page []byte, gen int) []byte {
	script := fmt.Sprintf(reloadScript, gen, EventsPath)
	at := lastIndexFold(page, []byte("</body>"))
	if at < 0 {
		return append(slices.Clip(page), script...)
	}
	out := make([]byte, 0, len(page)+len(script))
	out = append(out, page[:at]...)
	out = append(out, script...)
	return append(out, page[at:]...)
}

func lastIndexFold(s, sep []byte) int {
	return bytes.LastIndex(bytes.ToLower(s), bytes.ToLower(sep))
}

const pageStyle = `
:root { color-scheme: light; }
body { font: 1rem/1.6 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fafafa; }
main { max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; }
.error h1 { color: #a40e26; }
ul.diagnostics { list-style: none; padding: 0; }
ul.diagnostics li { font-family: ui-monospace, monospace; white-space: pre-wrap; background: #fff; border-left: 4px solid #a40e26; padding: .5rem .75rem; margin: .5rem 0; }
a { color: #0b57d0; }
`

// errorPage replaces every page while the last build failed.
var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build gagal · humas serve</title>
<style>` + pageStyle + `</style>
</head>
<body>
<main class="error">
<h1>Build gagal</h1>
<p>Perbaiki berkas berikut lalu simpan; halaman ini dimuat ulang sendiri.</p>
<ul class="diagnostics">
{{- range .}}
<li>{{.}}</li>
{{- end}}
</ul>
</main>
</body>
</html>
`))

// noticePage is a short page of the server's own: not found, or the list of previews.
var noticePage = template.Must(template.New("notice").Parse(`<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · humas serve</title>
<style>` + pageStyle + `</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
{{- if .Previews}}
<ul>
{{- range .Previews}}
<li><a href="{{$.Prefix}}{{.}}/">{{.}}</a></li>
{{- end}}
</ul>
{{- end}}
<p><a href="/">Kembali ke beranda</a></p>
</main>
</body>
</html>
`))
