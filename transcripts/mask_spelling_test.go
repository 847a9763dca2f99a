package transcripts

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// Card numbers in every spelling a person or a paste produces.
var cardSpellings = []struct {
	name string
	// spell writes the 16 digits d (15 for Amex) in this spelling.
	spell func(d string) string
	amex  bool
}{
	{"spaces", groups4(" "), false},
	{"no-break spaces", groups4("\u00a0"), false},
	{"narrow no-break spaces", groups4("\u202f"), false},
	{"thin spaces", groups4("\u2009"), false},
	{"ideographic spaces", groups4("\u3000"), false},
	{"double spaces", groups4("  "), false},
	{"tabs", groups4("\t"), false},
	{"newlines", groups4("\n"), false},
	{"CRLF", groups4("\r\n"), false},
	{"dots", groups4("."), false},
	{"full-width dots", groups4("．"), false},
	{"dashes", groups4("-"), false},
	{"hyphens", groups4("\u2010"), false},
	{"en dashes", groups4("\u2013"), false},
	{"full-width hyphen-minus", groups4("－"), false},
	{"spaced dashes", groups4(" - "), false},
	{"zero-width spaces", groups4("\u200b"), false},
	{"unbroken", func(d string) string { return d }, false},
	{"8-8", func(d string) string { return d[:8] + " " + d[8:] }, false},
	{"full-width digits, no-break spaces", func(d string) string { return fullWidth(groups4("\u00a0")(d)) }, false},
	{"amex 4-6-5", func(d string) string { return d[:4] + " " + d[4:10] + " " + d[10:] }, true},
	{"amex 4-6-5 with tabs", func(d string) string { return d[:4] + "\t" + d[4:10] + "\t" + d[10:] }, true},
}

func groups4(sep string) func(string) string {
	return func(d string) string {
		var parts []string
		for i := 0; i < len(d); i += 4 {
			parts = append(parts, d[i:min(i+4, len(d))])
		}
		return strings.Join(parts, sep)
	}
}

func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r - '0' + '０'
		}
		return r
	}, s)
}

// Luhn-valid test numbers, one per spelling and field, so that a leak names
// its source.
var testCards16 = []string{"4111111111111111", "4012888888881881", "5555555555554444", "5105105105105100",
	"6011111111111117", "3530111333300000", "3566002020360505", "4242424242424242", "4000056655665556",
	"5200828282828210", "2223003122003222", "6200000000000005", "4917610000000000", "4000000000000002",
	"5454545454545454", "6011000990139424", "3528000700000000", "4035501000000008", "4131840000000003",
	"4217651111111119", "5425233430109903", "2222420000001113", "4263982640269299", "5895626746595650"}

var testCards15 = []string{"378282246310005", "371449635398431", "378734493671000", "340000000000009"}

// leak finds card d in the raw file in any spelling: its digits but the
// last four, ASCII or full-width, with up to 16 other runes (JSON escapes,
// separators) between each. It returns where, or -1.
func leak(raw []rune, d string) int {
	want := []rune(d[:len(d)-4])
	for start := range raw {
		if digitValue(raw[start]) != int(want[0]-'0') {
			continue
		}
		i, n := start+1, 1
		for n < len(want) {
			gap := 0
			for i < len(raw) && digitValue(raw[i]) < 0 && gap <= 16 {
				i, gap = i+1, gap+1
			}
			if i >= len(raw) || gap > 16 || digitValue(raw[i]) != int(want[n]-'0') {
				break
			}
			i, n = i+1, n+1
		}
		if n == len(want) {
			return start
		}
	}
	return -1
}

// Every spelling is masked in every stored field: message texts, names,
// ids, packets, unknown fields (keys and values, nested) through import,
// training items. Checked on the raw bytes of the file.
func TestCardSpellingsAreMaskedInTheRawFile(t *testing.T) {
	type field struct {
		name string
		// store puts text into this field of a new conversation number n.
		store  func(t *testing.T, s *Store, n int, text string)
		idSafe bool // the field is an id: no spaces or controls allowed
	}
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, jst)
	importLine := func(t *testing.T, s *Store, line string) {
		t.Helper()
		rep, err := s.Import(strings.NewReader(line + "\n"))
		if err != nil || rep.Imported != 1 {
			t.Fatalf("import %s: %+v, %v", line, rep, err)
		}
	}
	q := func(text string) string { b, _ := marshalPlain(text); return string(b) }
	fields := []field{
		{"message text", func(t *testing.T, s *Store, n int, text string) {
			c := Conversation{ID: fmt.Sprintf("m%d", n), StartedAt: at, Lang: "en",
				Entries: []Entry{{At: at, Role: RoleCustomer, Text: "my card is " + text + " thanks"}}}
			if _, err := s.CreateConversation(c); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"appended message", func(t *testing.T, s *Store, n int, text string) {
			id := fmt.Sprintf("a%d", n)
			s.CreateConversation(Conversation{ID: id, StartedAt: at, Lang: "ja"})
			if _, err := s.AppendMessage(id, RoleCustomer, "", "カード番号は"+text+"です"); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"customer name", func(t *testing.T, s *Store, n int, text string) {
			s.CreateConversation(Conversation{ID: fmt.Sprintf("n%d", n), StartedAt: at, Lang: "en", Customer: Customer{Name: text}})
		}, false},
		{"conversation id through import", func(t *testing.T, s *Store, n int, text string) {
			importLine(t, s, fmt.Sprintf(`{"id":%s,"started_at":"2026-11-26T10:00:00+09:00","lang":"en","entries":[]}`, q(text)))
		}, true},
		{"unknown field through import", func(t *testing.T, s *Store, n int, text string) {
			importLine(t, s, fmt.Sprintf(`{"id":"u%d","started_at":"2026-11-26T10:00:00+09:00","lang":"en","entries":[],"payment":%s}`, n, q(text)))
		}, false},
		{"nested unknown field key through import", func(t *testing.T, s *Store, n int, text string) {
			importLine(t, s, fmt.Sprintf(`{"id":"k%d","started_at":"2026-11-26T10:00:00+09:00","lang":"en","entries":[],"x":{"cards":{%s:true}}}`, n, q(text)))
		}, false},
		{"entry's unknown field through import", func(t *testing.T, s *Store, n int, text string) {
			importLine(t, s, fmt.Sprintf(`{"id":"e%d","started_at":"2026-11-26T10:00:00+09:00","lang":"en","entries":[{"at":"2026-11-26T10:00:01+09:00","role":"customer","text":"hi","note":[%s]}]}`, n, q(text)))
		}, false},
		{"customer's unknown field through import", func(t *testing.T, s *Store, n int, text string) {
			importLine(t, s, fmt.Sprintf(`{"id":"c%d","started_at":"2026-11-26T10:00:00+09:00","lang":"en","customer":{"name":"x","card":%s},"entries":[]}`, n, q(text)))
		}, false},
		{"handoff packet", func(t *testing.T, s *Store, n int, text string) {
			c := Conversation{ID: fmt.Sprintf("p%d", n), StartedAt: at, Lang: "en", Entries: []Entry{{At: at, Role: RoleSystem,
				Event: EventEscalated, Meta: &Meta{Packet: []byte(fmt.Sprintf(`{"summary":%s}`, q(text)))}}}}
			if _, err := s.CreateConversation(c); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"training items", func(t *testing.T, s *Store, n int, text string) {
			if _, err := s.SaveTraining(TrainingSession{Trainee: "aiko", ScenarioID: "s", Items: []byte(fmt.Sprintf(`[{"reply":%s}]`, q(text)))}); err != nil {
				t.Fatal(err)
			}
		}, false},
	}
	for _, f := range fields {
		t.Run(f.name, func(t *testing.T) {
			s, path := openTemp(t)
			type stored struct{ spelling, card string }
			var all []stored
			n16, n15 := 0, 0
			for i, sp := range cardSpellings {
				var card string
				if sp.amex {
					card, n15 = testCards15[n15%len(testCards15)], n15+1
				} else {
					card, n16 = testCards16[n16%len(testCards16)], n16+1
				}
				text := sp.spell(card)
				if f.idSafe && validID(text) != nil {
					continue // an id cannot hold this spelling at all (spaces, controls)
				}
				f.store(t, s, i, text)
				all = append(all, stored{sp.name, card})
			}
			s.Close()
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			raw := []rune(string(data))
			for _, st := range all {
				if at := leak(raw, st.card); at >= 0 {
					t.Errorf("%s: card %s is in the raw file: %q", st.spelling, st.card, string(raw[at:min(at+60, len(raw))]))
				}
			}
			if len(all) < 4 {
				t.Fatalf("only %d spellings stored", len(all))
			}
		})
	}
}

// A CVV and an expiry date typed next to a card are masked with it; the
// same numbers elsewhere are not.
func TestCVVAndExpiryNextToACard(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"expiry and cvv after", "4111 1111 1111 1111 12/27 123", "**** **** **** 1111 **/** ***"},
		{"labelled", "card 4111-1111-1111-1111 exp 09/2029 cvv 947.", "card ****-****-****-1111 exp **/**** cvv ***."},
		{"japanese labels", "カード4111111111111111、有効期限12/27、セキュリティコード123です", "カード************1111、有効期限**/**、セキュリティコード***です"},
		{"on the next lines", "4111 1111 1111 1111\n09/29\n947", "**** **** **** 1111\n**/**\n***"},
		{"before the card", "cvv 947 exp 2029-09 card 4111 1111 1111 1111", "cvv *** exp ****-** card **** **** **** 1111"},
		{"amex four-digit cvv", "3782 822463 10005 cid 1234", "**** ****** *0005 cid ****"},
		{"expiry with dots", "5555555555554444 exp 11.28", "************4444 exp **.**"},
		{"not a month", "4111111111111111 13/27", "************1111 13/27"},
		{"a phone number after", "4111111111111111 call 090-1234-5678", "************1111 call 090-1234-5678"},
		{"a date after", "4111111111111111 on 2026-11-26", "************1111 on 2026-11-26"},
		{"too far away", "4111111111111111 and then a long story about my parcel 123", "************1111 and then a long story about my parcel 123"},
		{"no card: left alone", "my cvv is 123 and it expires 12/27", "my cvv is 123 and it expires 12/27"},
		{"two cards keep their last four", "4111111111111111 or 5555555555554444 123", "************1111 or ************4444 ***"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found := MaskCardDetails(tt.in)
			if got != tt.want {
				t.Fatalf("MaskCardDetails(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if found != (got != tt.in) {
				t.Fatalf("found = %v", found)
			}
		})
	}
	// In the file: the expiry and the CVV are gone with the card.
	s, path := openTemp(t)
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, jst)
	s.CreateConversation(Conversation{ID: "cvv", StartedAt: at, Lang: "en",
		Entries: []Entry{{At: at, Role: RoleCustomer, Text: "card 4111 1111 1111 1111 exp 09/29 cvv 947"}},
		Extra:   Extra{"payment": []byte(`{"pan":"4012888888881881","cvv":"318","expiry":"10/28"}`)}})
	s.Close()
	raw, _ := os.ReadFile(path)
	for _, secret := range []string{"09/29", "cvv 947", `"318"`, "10/28"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the raw file holds %q", secret)
		}
	}
}
