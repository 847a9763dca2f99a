package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"Where IS my Order?": "where is my order",
		"ＷＨＥＲＥ　ｉｓ　ｍｙ　ｏｒｄｅｒ！":   "where is my order",
		"キャンセルしたい":             "きゃんせるしたい",
		"ｷｬﾝｾﾙしたい":             "きゃんせるしたい",
		"メール、届きません。":           "めーる 届きません",
		"I can't log in":       "i cant log in",
		"don’t":                "dont",
		"'quoted'":             "quoted",
		"STRASSE Straße":       "strasse strasse",
		"  lots   of\tspace\n": "lots of space",
		"{{Order Number}}":     "order number",
		"¥1,200":               "1 200",
		"\xff\xfeorder":        "order",
		"":                     "",
		"!!!":                  "",
	}
	for in, want := range tests {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ in, fallback, want string }{
		{"where is my order", "ja", "en"},
		{"注文はどこ", "en", "ja"},
		{"カード", "en", "ja"},
		{"ｶｰﾄﾞ", "en", "ja"},
		{"my 注文", "en", "ja"},
		{"ＡＢＣ", "ja", "en"},
		{"2", "ja", "ja"},
		{"2", "en", "en"},
		{"?!", "ja", "ja"},
		{"😀", "en", "en"},
	}
	for _, tt := range tests {
		if got := DetectLanguage(tt.in, tt.fallback); got != tt.want {
			t.Errorf("DetectLanguage(%q, %q) = %q; want %q", tt.in, tt.fallback, got, tt.want)
		}
	}
}

func TestTypoCorrection(t *testing.T) {
	e := testEngine(t)
	tests := map[string]string{
		"ordr":     "order",
		"deleet":   "delete",
		"cancle":   "cancel",
		"refnud":   "refund",
		"invoce":   "invoice",
		"passwrod": "password",
		"order":    "order", // known words stay
		"xyzzyq":   "xyzzyq",
		"in":       "in", // too short to touch
	}
	for in, want := range tests {
		if got := e.model.Correct(in); got != want {
			t.Errorf("correct(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestTypoTolerance: Bitext-style typos and run-together words still find
// their intent.
func TestTypoTolerance(t *testing.T) {
	tests := map[string]string{
		"i want to deleet my acount":         "delete_account",
		"how can i cancle my ordr":           "cancel_order",
		"i forgot my pasword":                "recover_password",
		"wher is my refnud":                  "track_refund",
		"how toclose my account":             "delete_account",
		"I NEED AN INVOICE FOR MY PURCHASE!": "get_invoice",
	}
	e := testEngine(t)
	for in, want := range tests {
		d := e.NewConversation("t", Facts{Lang: "en", SignedIn: true}).Respond(in)
		if d.Intent != want || d.Action == ActionClarify {
			t.Errorf("%q: got %s/%s (%.2f); want %s", in, d.Intent, d.Action, d.Confidence, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Where IS my Order?", "ｷｬﾝｾﾙ", "メール、届きません。", "don't", "\xff", "İstanbul", "ﬁ", "\u200b\u202e", "''''", "a'b'c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q is not valid UTF-8", s, n)
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("Normalize(%q) = %q has stray spaces", s, n)
		}
		for _, r := range n {
			if r >= 0x30A1 && r <= 0x30F6 {
				t.Fatalf("Normalize(%q) = %q keeps katakana", s, n)
			}
		}
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize is not idempotent: %q → %q → %q", s, n, again)
		}
		DetectLanguage(s, "en")
	})
}
