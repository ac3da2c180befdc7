package tgfake_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/balikpapan/humas/publish/postertest"
	"github.com/balikpapan/humas/publish/telegram/tgfake"
)

const (
	token   = "7000000002:AAEkpuBotTokenSecretPart0123456789a"
	channel = -1001000000002
)

func start(t *testing.T) *tgfake.Server {
	t.Helper()
	s := tgfake.New()
	t.Cleanup(s.Close)
	s.AddBot(tgfake.Bot{ID: 7000000002, Username: "kpu_humas_bot", FirstName: "Humas KPU", Token: token})
	s.AddChannel(tgfake.Channel{ID: channel, Username: "kpubalikpapan", Title: "KPU Kota Balikpapan"})
	s.SetRights(channel, 7000000002, tgfake.Rights{Status: "administrator", CanPostMessages: true})
	return s
}

type answer struct {
	status int
	header http.Header
	body   struct {
		OK          bool            `json:"ok"`
		Result      json.RawMessage `json:"result"`
		ErrorCode   int             `json:"error_code"`
		Description string          `json:"description"`
		Parameters  map[string]any  `json:"parameters"`
	}
}

func get(t *testing.T, rawURL string) answer {
	t.Helper()
	resp, err := http.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	if err := json.NewDecoder(resp.Body).Decode(&a.body); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q; want application/json", ct)
	}
	if a.body.OK != (a.status == http.StatusOK) || !a.body.OK && a.body.ErrorCode != a.status {
		t.Errorf("status %d with ok %v, error_code %d; want them to agree", a.status, a.body.OK, a.body.ErrorCode)
	}
	return a
}

func TestAnswersAreShapedAsTheBotAPIShapesThem(t *testing.T) {
	s := start(t)
	tests := []struct {
		name   string
		path   string
		status int
		desc   string
	}{
		{"getMe in any case", "/bot" + token + "/GETME", 200, ""},
		{"a path without /bot", "/getMe", 404, "Not Found"},
		{"a malformed token", "/botrahasia/getMe", 401, "Unauthorized: invalid token specified"},
		{"an unknown token", "/bot7000000009:AAEunknownTokenSecretPart0123456789/getMe", 401, "Unauthorized"},
		{"a method that reads a channel, which the Bot API has not", "/bot" + token + "/getChatHistory?chat_id=@kpubalikpapan", 404, "Not Found: method not found"},
		{"an unknown chat", "/bot" + token + "/getChat?chat_id=@tidakada", 400, "Bad Request: chat not found"},
		{"no chat", "/bot" + token + "/sendMessage?text=x", 400, "Bad Request: chat_id is empty"},
		{"HTML Telegram cannot parse", "/bot" + token + "/sendMessage?" + url.Values{"chat_id": {"@kpubalikpapan"},
			"text": {"5 < 6"}, "parse_mode": {"HTML"}}.Encode(), 400, `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`},
		{"an empty text", "/bot" + token + "/sendMessage?chat_id=@kpubalikpapan&text=%20", 400, "Bad Request: message text is empty"},
		{"a text too long", "/bot" + token + "/sendMessage?chat_id=@kpubalikpapan&text=" + strings.Repeat("a", 4097), 400, "Bad Request: message is too long"},
		{"a photo without a photo", "/bot" + token + "/sendPhoto?chat_id=@kpubalikpapan", 400, "Bad Request: there is no photo in the request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := get(t, s.URL+tt.path)
			if a.status != tt.status || a.body.Description != tt.desc {
				t.Fatalf("%d %q; want %d %q", a.status, a.body.Description, tt.status, tt.desc)
			}
		})
	}
	if n := len(s.Messages(channel)); n != 0 {
		t.Fatalf("%d messages; want none", n)
	}
}

func TestARateLimitSaysWhenToComeBack(t *testing.T) {
	s := start(t)
	s.Fail(channel, postertest.RateLimited, 1)
	a := get(t, s.URL+"/bot"+token+"/sendMessage?chat_id=@kpubalikpapan&text=Halo")
	if a.status != 429 || a.body.Description != "Too Many Requests: retry after 1" ||
		a.body.Parameters["retry_after"] != float64(1) || a.header.Get("Retry-After") != "1" {
		t.Fatalf("%d %+v %v; want 429 with retry_after and Retry-After", a.status, a.body, a.header)
	}
}

func TestAMovedChatSaysWhereItWent(t *testing.T) {
	s := start(t)
	s.Migrate("@kpubalikpapan", -1009999999999)
	a := get(t, s.URL+"/bot"+token+"/sendMessage?chat_id=@kpubalikpapan&text=Halo")
	if a.status != 400 || a.body.Parameters["migrate_to_chat_id"] != float64(-1009999999999) {
		t.Fatalf("%d %+v; want 400 with migrate_to_chat_id", a.status, a.body)
	}
}

func TestAMessageIsAnsweredAsAMessage(t *testing.T) {
	s := start(t)
	a := get(t, s.URL+"/bot"+token+"/sendMessage?"+url.Values{"chat_id": {"@kpubalikpapan"},
		"text": {"<b>Pemilu</b> &amp; damai"}, "parse_mode": {"HTML"}}.Encode())
	var m struct {
		MessageID int64 `json:"message_id"`
		Chat      struct {
			ID       int64  `json:"id"`
			Type     string `json:"type"`
			Username string `json:"username"`
		} `json:"chat"`
		Text     string          `json:"text"`
		Entities []tgfake.Entity `json:"entities"`
	}
	if err := json.Unmarshal(a.body.Result, &m); err != nil {
		t.Fatal(err)
	}
	if m.MessageID != 1 || m.Chat.ID != channel || m.Chat.Type != "channel" || m.Chat.Username != "kpubalikpapan" ||
		m.Text != "Pemilu & damai" || len(m.Entities) != 1 || m.Entities[0].Type != "bold" {
		t.Fatalf("message %+v", m)
	}
}
