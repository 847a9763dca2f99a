package transcripts

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A recovery file holds only what the store would: card numbers masked in
// every spelling, with the CVV and expiry beside them, in the id, the text,
// names and kept fields alike; and history import takes it back as the
// same conversation a direct write would have stored.
func TestRecoveryIsMaskedLikeTheStore(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, jst)
	card := "4111\u00a01111-1111 1111"
	conv := Conversation{ID: "c-4111111111111111", StartedAt: at, Lang: "en",
		Customer: Customer{Name: "Ken " + card, Extra: Extra{"card": []byte(`{"number":"4111111111111111","cvv":"987","expiry":"11/29"}`)}},
		Status:   StatusAbandoned,
		Entries: []Entry{
			{At: at.Add(time.Second), Role: RoleCustomer, Author: "You", Text: "my card is " + card + " exp 11/29 cvv 987"},
			{At: at.Add(2 * time.Second), Role: RoleBot, Text: "I cannot take card details here.",
				Meta: &Meta{Packet: []byte(`{"summary":"card ` + card + ` 11/29 987"}`)}},
		}}
	var buf bytes.Buffer
	if err := WriteRecovery(&buf, conv); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{"4111", "987", "11/29"} {
		if strings.Contains(out, secret) {
			t.Errorf("the recovery file holds %q:\n%s", secret, out)
		}
	}

	s, _ := openTemp(t)
	rep, err := s.Import(strings.NewReader(out))
	if err != nil || rep.Imported != 1 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	s2, _ := openTemp(t)
	if _, err := s2.CreateConversation(conv); err != nil {
		t.Fatal(err)
	}
	id := MaskCards(conv.ID)
	recovered, err := s.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	direct, err := s2.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := EncodeJSON(recovered)
	b, _ := EncodeJSON(direct)
	if !bytes.Equal(a, b) {
		t.Fatalf("recovered and imported:\n%s\nstored directly:\n%s", a, b)
	}
	if recovered.Entries[0].Author != "Ken "+MaskCards(card) {
		t.Errorf("author %q", recovered.Entries[0].Author)
	}
}
