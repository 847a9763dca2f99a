package transcripts

import (
	"path/filepath"
	"testing"
	"time"
)

// fixedClock is a deterministic clock: each call moves one second on.
type fixedClock struct{ t time.Time }

func (c *fixedClock) Now() time.Time {
	c.t = c.t.Add(time.Second)
	return c.t
}

var jst = time.FixedZone("", 9*60*60)

func newClock() *fixedClock {
	return &fixedClock{t: time.Date(2026, 11, 26, 10, 0, 0, 0, jst)}
}

func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "tsunagu.db")
	s, err := Open(path, Options{Now: newClock().Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// sampleConversation is a small conversation with every kind of entry.
func sampleConversation(id string) Conversation {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, jst)
	step := func(n int) time.Time { return at.Add(time.Duration(n) * time.Second) }
	callback := time.Date(2026, 11, 27, 15, 0, 0, 0, jst)
	return Conversation{
		ID: id, StartedAt: at, Lang: "ja",
		Customer: Customer{Name: "佐藤 花子", HasAccount: true},
		OrderID:  "250-1234567-1234567", Topic: "delivery/not_arrived", Channel: "chat", Status: StatusClosed,
		Entries: []Entry{
			{At: step(1), Role: RoleCustomer, Author: "佐藤 花子", Text: "注文した商品が届きません。返品したいです。"},
			{At: step(2), Role: RoleBot, Text: "ご不便をおかけして申し訳ございません。配送状況を確認します。",
				Meta: &Meta{Intent: "track_order", Action: "answer", Confidence: 0.93, Rules: []string{"track.1"}}},
			{At: step(3), Role: RoleCustomer, Author: "佐藤 花子", Text: "Refunds please, this is the third time!"},
			{At: step(4), Role: RoleSystem, Event: EventEscalated,
				Meta: &Meta{Reason: "complaint", Operator: "Tanaka", Packet: []byte(`{"summary":"late parcel","intent":"refund"}`)}},
			{At: step(5), Role: RoleSystem, Event: EventQueue, Meta: &Meta{QueuePosition: 2}},
			{At: step(6), Role: RoleSystem, Event: EventOperatorJoined, Meta: &Meta{Operator: "Tanaka", OperatorID: "op-tanaka"}},
			{At: step(7), Role: RoleOperator, Author: "Tanaka", Text: "田中と申します。ご注文の商品が届いていない件ですね。"},
			{At: step(8), Role: RoleSystem, Event: EventCallbackBooked, Meta: &Meta{CallbackAt: &callback}},
			{At: step(9), Role: RoleSystem, Event: EventRating, Meta: &Meta{Rating: 2}},
			{At: step(10), Role: RoleSystem, Event: EventClosed},
		},
	}
}
