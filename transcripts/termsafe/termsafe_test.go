package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTextNeutralisesTerminalAttacks covers reliability case A1-A9 at the
// function level.
func TestTextNeutralisesTerminalAttacks(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"A1 OSC 52 ended by BEL", "copy\x1b]52;c;ZXZpbA==\x07me", "copyme"},
		{"A1 OSC 52 ended by ST", "copy\x1b]52;c;ZXZpbA==\x1b\\me", "copyme"},
		{"A2 OSC 0 title", "\x1b]0;pwned\x07hello", "hello"},
		{"A2 OSC 2 title", "\x1b]2;pwned\x1b\\hello", "hello"},
		{"A2 OSC 8 hyperlink shows its text only", "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"A3 cursor up and clear line", "a\x1b[2A\x1b[2Kb", "ab"},
		{"A3 home and clear screen", "\x1b[H\x1b[2Jclean", "clean"},
		{"A3 alternate screen and mouse", "\x1b[?1049h\x1b[?1000hx\x1b[?1049l", "x"},
		{"A3 reset", "\x1bcreset", "reset"},
		{"A4 cursor position query", "q\x1b[6n", "q"},
		{"A4 device attributes query", "q\x1b[c\x1b[>c", "q"},
		{"A5 raw 8-bit CSI becomes U+FFFD", "a\x9b31mb", "a\uFFFD31mb"},
		{"A5 UTF-8 C1 CSI loses its power", "a\u009b31mb", "a31mb"},
		{"A5 UTF-8 NEL and other C1", "a\u0085b\u0090c\u009fd", "abcd"},
		{"A6 unterminated OSC stays in its message", "before\x1b]52;c;AAAA", "before"},
		{"A6 unterminated DCS stays in its message", "x\x1bPq#0;2;0;0;0", "x"},
		{"A7 CR cannot overwrite", "safe\rEVIL", "safe\nEVIL"},
		{"A7 CRLF is one newline", "a\r\nb", "a\nb"},
		{"A7 BS BEL NUL DEL VT FF removed", "a\bb\ac\x00d\x7fe\vf\fg", "abcdefg"},
		{"A7 newline and tab survive", "a\n\tb", "a\n\tb"},
		{"A8 bidi override removed", "abc\u202edcba\u202c", "abcdcba"},
		{"A8 bidi isolates removed", "\u2066x\u2069\u2067y\u2068", "xy"},
		{"A8 zero-width removed", "in\u200bvis\u200cible\u2060\ufeff\u00ad", "invisible"},
		{"A8 ZWJ kept inside an emoji sequence", "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"},
		{"A8 ZWJ between letters removed", "a\u200db", "ab"},
		{"A9 speaker spoofing stays text", "hi\n[Operator] Tanaka: refund ok", "hi\n[Operator] Tanaka: refund ok"},
		{"B11 invalid UTF-8", "ok\xff\xfe", "ok\uFFFD"},
		{"plain Japanese untouched", "返品したいです。ｱｲｳ か\u3099 e\u0301 🇯🇵 ⚠️ 👍🏽", "返品したいです。ｱｲｳ か\u3099 e\u0301 🇯🇵 ⚠️ 👍🏽"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLineFlattensAndRemovesEveryInvisible(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Tanaka\n[Operator]", "Tanaka [Operator]"},
		{"a\tb", "a b"},
		{"090\u200b-1234\u202e-5678", "090-1234-5678"},
		{"me\u200d@example.com", "me@example.com"},
		{"\x1b]0;x\x07田中", "田中"},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExpandTabs(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"a\tb", 4, "a   b"},
		{"日本\tx", 4, "日本    x"},
		{"ab\n\tc", 4, "ab\n    c"},
		{"no tabs", 4, "no tabs"},
	}
	for _, tt := range tests {
		if got := ExpandTabs(tt.in, tt.width); got != tt.want {
			t.Errorf("ExpandTabs(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

// checkSafe asserts the A10 properties on one output.
func checkSafe(t *testing.T, in, out string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("output of %q is not valid UTF-8: %q", in, out)
	}
	for _, r := range out {
		switch {
		case r == '\n' || r == '\t':
			if !multiline {
				t.Fatalf("Line(%q) kept %q", in, r)
			}
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
			t.Fatalf("output of %q keeps control %U: %q", in, r, out)
		case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
			t.Fatalf("output of %q keeps bidi control %U", in, r)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{
		"\x1b]52;c;ZXZpbA==\x07", "\x1b]8;;http://x\x1b\\y", "\x1b[2J\x1b[H", "\x9b31m", "\u009b6n",
		"safe\rEVIL", "\u202eabc", "👨\u200d\u200b👩", "\x1bP", "\xff\xfe", "a\r\n\tb", "日本語\u200d",
		"\u200d😀\u200d", "😀\u200b\u200d😀",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text := Text(s)
		checkSafe(t, s, text, true)
		if strings.ContainsRune(text, '\x1b') {
			t.Fatalf("ESC survived in %q", text)
		}
		if again := Text(text); again != text {
			t.Fatalf("Text is not idempotent: %q then %q", text, again)
		}
		line := Line(s)
		checkSafe(t, s, line, false)
		if again := Line(line); again != line {
			t.Fatalf("Line is not idempotent: %q then %q", line, again)
		}
	})
}

func BenchmarkTextPlainASCII(b *testing.B) {
	s := strings.Repeat("Where is my order 123-1234567-1234567? ", 10)
	for b.Loop() {
		Text(s)
	}
}

func BenchmarkTextJapanese(b *testing.B) {
	s := strings.Repeat("注文した商品がまだ届きません。確認してください。", 10)
	for b.Loop() {
		Text(s)
	}
}
