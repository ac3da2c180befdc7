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
