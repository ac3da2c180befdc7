package email_test

import (
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/email"
)

func TestTheBodyInPlainTextKeepsWhatAReaderNeeds(t *testing.T) {
	md := "# Jadwal\n\nRapat pleno di [kantor KPU](https://kpu.example/) pada <https://kpu.example/jadwal>.\n\n" +
		"1. Pendaftaran\n2. Verifikasi\n   berkas\n\n| Tahap | Tanggal |\n| --- | --- |\n| Pleno | 9 Juni |\n\n" +
		"<script>alert(1)</script>\n\nKlik [di sini](javascript:alert(1)) ~~lama~~ **penting**.\n\n> kutipan\n"
	got := email.PlainText([]byte(md))
	for _, want := range []string{"Jadwal\n\nRapat pleno di kantor KPU (https://kpu.example/) pada https://kpu.example/jadwal.",
		"1. Pendaftaran\n2. Verifikasi berkas", "Tahap | Tanggal\nPleno | 9 Juni", "Klik di sini lama penting.", "> kutipan"} {
		if !strings.Contains(got, want) {
			t.Errorf("plain text lacks %q:\n%s", want, got)
		}
	}
	for _, bad := range []string{"<script>", "alert", "javascript:", "**", "~~"} {
		if strings.Contains(got, bad) {
			t.Errorf("plain text has %q:\n%s", bad, got)
		}
	}
}

// Escapes and entity references read as the characters they stand for, as on the
// article and in the HTML part ("PT A &amp; B" once reached the press as written);
// in code they stay as written, as CommonMark keeps them.
func TestThePlainTextResolvesEscapesAndEntities(t *testing.T) {
	md := "PT A &amp; B \\*resmi\\* &quot;kutip&quot; &#8212; [A &amp; B](https://a.example/?x=1&amp;y=2) `a &amp; \\*`\n\n- nomor &lt;1&gt;\n"
	got := email.PlainText([]byte(md))
	want := "PT A & B *resmi* \"kutip\" — A & B (https://a.example/?x=1&y=2) a &amp; \\*\n\n- nomor <1>"
	if got != want {
		t.Errorf("plain text\n%q\nwant\n%q", got, want)
	}
}
