package tgfake_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/balikpapan/humas/publish"
	"github.com/balikpapan/humas/publish/postertest"
	"github.com/balikpapan/humas/publish/telegram"
	"github.com/balikpapan/humas/publish/telegram/tgfake"
)

// A pipeline or command test starts the fake, registers the bot and the channel of
// humas.yaml with the bot's rights, puts the token in the environment, scripts
// faults and reads back what the channel shows.
func Example() {
	s := tgfake.New()
	defer s.Close()
	bot := tgfake.Bot{ID: 7000000002, Username: "kpu_humas_bot", FirstName: "Humas KPU",
		Token: "7000000002:AAEkpuBotTokenSecretPart0123456789a"}
	s.AddBot(bot)
	s.AddChannel(tgfake.Channel{ID: -1001000000002, Username: "kpubalikpapan", Title: "KPU Kota Balikpapan"})
	s.SetRights(-1001000000002, bot.ID, tgfake.Rights{Status: "administrator", CanPostMessages: true})
	s.Fail(-1001000000002, postertest.DropAfterRecord, 1)

	// HUMAS_TELEGRAM_API_URL=s.URL, HUMAS_KPU_TELEGRAM_BOT_TOKEN=bot.Token
	c := telegram.New(telegram.Config{BaseURL: s.URL, Channel: "@kpubalikpapan", Token: bot.Token})
	p := publish.Post{Text: "Pemilu <damai> & aman", Link: "https://humas.balikpapan.go.id/pemilu-damai/"}
	_, err := c.Post(context.Background(), p)
	fmt.Println("answer lost:", publish.IsTransient(err))
	_, _, err = c.Find(context.Background(), p.Link)
	fmt.Println("can look:", !errors.Is(err, publish.ErrCannotLook))
	for _, m := range s.Messages(-1001000000002) {
		fmt.Printf("%d %q\n", m.ID, m.Text)
	}
	// Output:
	// answer lost: true
	// can look: false
	// 1 "Pemilu <damai> & aman\n\nhttps://humas.balikpapan.go.id/pemilu-damai/"
}
