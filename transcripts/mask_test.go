package transcripts

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// D30, D31: what is and is not a card number.
var maskCases = []struct {
	name, in, want string
}{
	{"visa with spaces", "card 4111 1111 1111 1111 thanks", "card **** **** **** 1111 thanks"},
	{"visa with dashes", "4111-1111-1111-1111", "****-****-****-1111"},
	{"visa unbroken", "番号は4111111111111111です", "番号は************1111です"},
	{"full-width digits", "４１１１１１１１１１１１１１１１", "************１１１１"},
	{"full-width with ideographic spaces", "４１１１　１１１１　１１１１　１１１１", "****　****　****　１１１１"},
	{"amex", "amex 378282246310005.", "amex ***********0005."},
	{"amex grouped 4-6-5", "3782 822463 10005", "**** ****** *0005"},
	{"mastercard", "5555555555554444", "************4444"},
	{"mastercard 2-series", "2223003122003222", "************3222"},
	{"jcb", "3530111333300000", "************0000"},
	{"discover", "6011111111111117", "************1117"},
	{"two cards", "4111111111111111 or 5555555555554444", "************1111 or ************4444"},
	{"card after other digits", "order 12 4111 1111 1111 1111", "order 12 **** **** **** 1111"},

	{"phone with dashes", "090-1234-5678", "090-1234-5678"},
	{"international phone", "+81 90 1234 5678", "+81 90 1234 5678"},
	{"email", "taro.4111@example.co.jp", "taro.4111@example.co.jp"},
	{"order id", "order 123-1234567-1234567", "order 123-1234567-1234567"},
	{"luhn-valid order id starting with 4", "403-7712345-4441107", "403-7712345-4441107"},
	{"luhn-valid 16 digits without card prefix", "1234567812345670", "1234567812345670"},
	{"luhn-invalid visa", "4111111111111112", "4111111111111112"},
	{"too short", "411111111111", "411111111111"},
	{"too long", "41111111111111111111111", "41111111111111111111111"},
	{"amount", "¥12,800", "¥12,800"},
	{"date and time", "2026-11-26 10:00", "2026-11-26 10:00"},
}

func TestMaskCards(t *testing.T) {
	for _, tt := range maskCases {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskCards(tt.in); got != tt.want {
				t.Fatalf("MaskCards(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// D30: card numbers never reach the file: not in messages, names, packets,
// unknown fields, nor the search index. Checked on the raw bytes.
func TestCardNumbersNeverReachTheFile(t *testing.T) {
	s, path := openTemp(t)
	c := sampleConversation("cards")
	c.Customer.Name = "Card 5555-5555-5555-4444"
	c.Extra = Extra{"note": []byte(`"backup card 3530111333300000"`)}
	c.Entries = append(c.Entries,
		Entry{At: c.StartedAt.Add(time.Minute), Role: RoleCustomer, Text: "my card is 4111 1111 1111 1111"},
		Entry{At: c.StartedAt.Add(2 * time.Minute), Role: RoleSystem, Event: EventEscalated,
			Meta: &Meta{Reason: "payment", Packet: []byte(`{"summary":"card ４１１１１１１１１１１１１１１１","raw":6011111111111117}`)}},
	)
	if _, err := s.CreateConversation(c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendMessage("cards", RoleCustomer, "", "amex 378282246310005 and 4111-1111-1111-1111"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, card := range []string{"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "４１１１１１１１１１１１１１１１",
		"378282246310005", "5555-5555-5555", "3530111333300000", "6011111111111117", "411111", "555555", "37828224"} {
		if bytes.Contains(raw, []byte(card)) {
			t.Errorf("raw file contains %q", card)
		}
	}
	for _, kept := range []string{"**** **** **** 1111", "***********0005", "250-1234567-1234567"} {
		if !bytes.Contains(raw, []byte(kept)) {
			t.Errorf("raw file lacks %q", kept)
		}
	}
}

func FuzzMaskCards(f *testing.F) {
	for _, tt := range maskCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := MaskCards(s)
		if MaskCards(m) != m {
			t.Fatalf("masking is not stable: %q -> %q -> %q", s, m, MaskCards(m))
		}
		if utf8.ValidString(s) && utf8.RuneCountInString(m) != utf8.RuneCountInString(s) {
			t.Fatalf("masking changed the length: %q -> %q", s, m)
		}
		if m != s && !strings.Contains(m, "*") {
			t.Fatalf("changed without masking: %q -> %q", s, m)
		}
	})
}
