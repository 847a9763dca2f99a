package slots

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in   string
		want string
		prob PhoneProblem
	}{
		{"090-1234-5678", "+819012345678", 0},
		{"09012345678", "+819012345678", 0},
		{"０９０－１２３４－５６７８", "+819012345678", 0},
		{"090ー1234ー5678", "+819012345678", 0},
		{"03-1234-5678", "+81312345678", 0},
		{"(03) 1234 5678", "+81312345678", 0},
		{"0120-000-000", "+81120000000", 0},
		{"0800-000-0000", "+818000000000", 0},
		{"050.1234.5678", "+815012345678", 0},
		{"+81 90 1234 5678", "+819012345678", 0},
		{"+81 (0)90-1234-5678", "+819012345678", 0},
		{"+81-3-1234-5678", "+81312345678", 0},
		{"+1 415 555 0100", "+14155550100", 0},
		{"+44 20 7946 0000", "+442079460000", 0},
		{"", "", PhoneEmpty},
		{"   ", "", PhoneEmpty},
		{"090-1234-567a", "", PhoneBadCharacters},
		{"call me", "", PhoneBadCharacters},
		{"12345678901", "", PhoneNoAreaCode},
		{"090-1234-567", "", PhoneTooShort},
		{"03-1234-56789", "", PhoneTooLong},
		{"090-1234-56789", "", PhoneTooLong},
		{"+81 90 1234 567", "", PhoneTooShort},
		{"+1 234", "", PhoneTooShort},
		{"+1234567890123456", "", PhoneTooLong},
		{"00-1234-5678", "", PhoneNotInUse},
		{"+0 90 1234 5678", "", PhoneNotInUse},
		{"1-2-3+4", "", PhoneBadCharacters},
	}
	for _, tt := range tests {
		got, err := ParsePhone(tt.in)
		if tt.prob == 0 {
			if err != nil || got != tt.want {
				t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		var pe *PhoneError
		if !errors.As(err, &pe) || pe.Problem != tt.prob {
			t.Errorf("ParsePhone(%q) error = %v; want problem %d", tt.in, err, tt.prob)
			continue
		}
		if got != "" {
			t.Errorf("ParsePhone(%q) returned %q with an error", tt.in, got)
		}
	}
}

func TestPhoneErrorsAreOneSentenceInBothLanguages(t *testing.T) {
	for p := PhoneEmpty; p <= PhoneNotInUse; p++ {
		e := &PhoneError{p}
		en, ja := e.Error(), e.Message("ja")
		if en == "" || strings.Count(en, ". ")+strings.Count(en, "; ") > 1 || !strings.HasSuffix(en, ".") {
			t.Errorf("problem %d: English message %q is not one sentence", p, en)
		}
		if ja == "" || !strings.HasSuffix(ja, "。") || ja == en {
			t.Errorf("problem %d: Japanese message %q", p, ja)
		}
		if e.Message("en") != en {
			t.Errorf("problem %d: Message(en) differs from Error()", p)
		}
	}
}

func TestFormatPhone(t *testing.T) {
	tests := map[string]string{
		"+819012345678":  "090-1234-5678",
		"+81312345678":   "03-1234-5678",
		"+81120000000":   "0120-000-000",
		"+818000000000":  "0800-000-0000",
		"+81451234567":   "045-123-4567",
		"+14155550100":   "+14155550100",
		"not a number":   "not a number",
		"+815012345678":  "050-1234-5678",
		"+8112":          "+8112",
		"+819012345678x": "+819012345678x",
	}
	for in, want := range tests {
		if got := FormatPhone(in); got != want {
			t.Errorf("FormatPhone(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Found
	}{
		{"shop order id", "Where is order 250-1234567-1234567?", Found{OrderIDs: []string{"250-1234567-1234567"}}},
		{"full-width order id", "注文番号は２５０－１２３４５６７－１２３４５６７です", Found{OrderIDs: []string{"250-1234567-1234567"}}},
		{"order reference", "my order #AB12345 never came", Found{OrderIDs: []string{"AB12345"}}},
		{"order number words", "order number 98765432 is late", Found{OrderIDs: []string{"98765432"}}},
		{"japanese order number", "注文番号：12345678について", Found{OrderIDs: []string{"12345678"}}},
		{"mobile", "call me on 090-1234-5678 please", Found{Phones: []string{"+819012345678"}}},
		{"e164", "my number is +81 90 1234 5678.", Found{Phones: []string{"+819012345678"}}},
		{"full-width phone", "電話番号は０３－１２３４－５６７８です", Found{Phones: []string{"+81312345678"}}},
		{"email", "mail me at Taro.Yamada+shop@Example.CO.JP thanks", Found{Emails: []string{"Taro.Yamada+shop@example.co.jp"}}},
		{"yen prefix", "I was charged ¥1,200 twice", Found{Amounts: []Money{{JPY, 1200}}}},
		{"full-width yen", "￥３，５００の返金", Found{Amounts: []Money{{JPY, 3500}}}},
		{"yen suffix", "1200円が引き落とされました", Found{Amounts: []Money{{JPY, 1200}}}},
		{"yen word", "refund of 4,980 yen", Found{Amounts: []Money{{JPY, 4980}}}},
		{"dollars", "it cost $12.50 and then 3 dollars more", Found{Amounts: []Money{{USD, 1250}, {USD, 300}}}},
		{"everything", "Order 123-1234567-1234567: refund ¥980 to a@b.jp, call 03-1234-5678",
			Found{OrderIDs: []string{"123-1234567-1234567"}, Phones: []string{"+81312345678"}, Emails: []string{"a@b.jp"}, Amounts: []Money{{JPY, 980}}}},
		{"order id is not a phone", "250-1234567-1234567", Found{OrderIDs: []string{"250-1234567-1234567"}}},
		{"card number is not a phone", "card 4111 1111 1111 1111", Found{}},
		{"plain small numbers", "I bought 2 items 3 days ago", Found{}},
		{"nothing", "hello there", Found{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extract(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Extract(%q) = %+v; want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFoundMap(t *testing.T) {
	f := Extract("order 250-1234567-1234567 for ¥1,200, call +81 90 1234 5678 or mail x@y.com")
	want := map[string]string{OrderID: "250-1234567-1234567", Amount: "¥1,200", Phone: "+819012345678", Email: "x@y.com"}
	if got := f.Map(); !reflect.DeepEqual(got, want) {
		t.Errorf("Map() = %v; want %v", got, want)
	}
	if m := (Found{}).Map(); m == nil || len(m) != 0 {
		t.Errorf("empty Map() = %v; want empty non-nil map", m)
	}
	if !(Found{}).Empty() || f.Empty() {
		t.Error("Empty() is wrong")
	}
}

func TestMoneyString(t *testing.T) {
	tests := map[Money]string{
		{JPY, 0}:       "¥0",
		{JPY, 980}:     "¥980",
		{JPY, 1200}:    "¥1,200",
		{JPY, 1234567}: "¥1,234,567",
		{USD, 1250}:    "$12.50",
		{USD, 5}:       "$0.05",
		{USD, 100000}:  "$1,000.00",
	}
	for m, want := range tests {
		if got := m.String(); got != want {
			t.Errorf("%+v.String() = %q; want %q", m, got, want)
		}
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"090-1234-5678", "+81 90 1234 5678", "０３－１２３４－５６７８", "+1 415 555 0100", "", "+", "0", "+81", "((((", "0120-000-000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParsePhone(s)
		if err != nil {
			var pe *PhoneError
			if !errors.As(err, &pe) || pe.Error() == "" || pe.Message("ja") == "" {
				t.Fatalf("ParsePhone(%q): error %v is not a PhoneError with messages", s, err)
			}
			return
		}
		if !strings.HasPrefix(got, "+") || len(got) < 9 || len(got) > 16 {
			t.Fatalf("ParsePhone(%q) = %q; not E.164", s, got)
		}
		for _, c := range got[1:] {
			if c < '0' || c > '9' {
				t.Fatalf("ParsePhone(%q) = %q; not digits", s, got)
			}
		}
		// Normalising is idempotent, and the display form parses back.
		if again, err := ParsePhone(got); err != nil || again != got {
			t.Fatalf("ParsePhone(%q) = %q, %v; want %q", got, again, err, got)
		}
		if back, err := ParsePhone(FormatPhone(got)); err != nil || back != got {
			t.Fatalf("FormatPhone(%q) = %q does not parse back: %q, %v", got, FormatPhone(got), back, err)
		}
	})
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"order 250-1234567-1234567 ¥1,200 090-1234-5678 a@b.jp",
		"注文番号：12345678、1200円", "$12.50 dollars", "+81 90", "@@@.@", "¥99999999999999999999",
		"\xff\xfe", "order #", "1,2,3,4,5 円",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Extract(s)
		for _, p := range got.Phones {
			if again, err := ParsePhone(p); err != nil || again != p {
				t.Fatalf("Extract(%q) phone %q is not normalised", s, p)
			}
		}
		for _, a := range got.Amounts {
			if a.Minor < 0 || a.Minor > maxMinor {
				t.Fatalf("Extract(%q) amount %+v out of range", s, a)
			}
		}
		for k, v := range got.Map() {
			if v == "" || !utf8.ValidString(v) {
				t.Fatalf("Extract(%q) slot %s = %q", s, k, v)
			}
		}
	})
}
