package wire

import (
	"strings"
	"testing"
	"time"

	"tsunagu/bot"
	"tsunagu/handoff"
	"tsunagu/tui/common"
)

func TestBotAdapter(t *testing.T) {
	b, err := LoadBot("")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"ja", "en"} {
		menu := b.Menu(lang)
		if len(menu) < 6 {
			t.Fatalf("%s menu has %d categories", lang, len(menu))
		}
		var account bool
		for _, c := range menu {
			if c.Label == "" || len(c.Topics) == 0 {
				t.Errorf("%s: category %q is empty", lang, c.ID)
			}
			account = account || !c.NeedsAccount
		}
		if !account {
			t.Errorf("%s: nothing is offered without an account", lang)
		}
	}
	d, opening := b.Start(common.Facts{ConversationID: "c1", Lang: "en", CustomerName: "Yumi", SignedIn: true,
		OrderID: "250-1234567-1234567", OrderItems: []string{"Earbuds"}, OrderDate: "2026-11-24", OrderStatus: "in_transit",
		Topic: common.Topic{ID: "not_arrived", Intent: "track_order"}})
	if !strings.Contains(opening.Reply, "250-1234567-1234567") || !strings.Contains(opening.Reply, "Earbuds") {
		t.Fatalf("the opening does not say what the bot knows: %q", opening.Reply)
	}
	if got := d.Respond("I want to talk to a human"); got.Action != bot.ActionEscalate || got.Reason != bot.ReasonHumanRequested {
		t.Fatalf("a request for a person gave %s/%s", got.Action, got.Reason)
	}
	pb, ok := b.Knowledge().Playbook("track_order", "ja")
	if !ok || pb.Problem == "" || len(pb.Steps) == 0 {
		t.Fatalf("playbook = %+v, %v", pb, ok)
	}
}

func TestLoadBotErrors(t *testing.T) {
	if _, err := LoadBot("/nonexistent/rules.yaml"); err == nil || !strings.Contains(err.Error(), "cannot read the rules file") {
		t.Fatalf("err = %v", err)
	}
}

func TestDeskFactory(t *testing.T) {
	clock := handoff.NewVirtualClock(time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("JST", 9*3600)))
	d, err := DeskFactory(handoff.DefaultPool(), nil, clock, 1)("c1")
	if err != nil {
		t.Fatal(err)
	}
	if q := d.Quote(clock.Now(), "ja", "track_order", handoff.ClassNormal); q.NativeOnly < q.FirstAvailable {
		t.Fatalf("native-only wait %v is shorter than first available %v", q.NativeOnly, q.FirstAvailable)
	}
}
