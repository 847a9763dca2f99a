package live

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCleanText: whatever a person types or pastes, what reaches the
// customer and the store is valid UTF-8 without control characters (but
// newlines and tabs), trimmed, and at most MaxText characters.
func FuzzCleanText(f *testing.F) {
	for _, seed := range []string{
		"hello", "  padded\n", "\x1b[2Jclear", "\xff\xfe bad utf8", "tab\tand\nnewline", "\u009b31m C1",
		"\x00nul\x7fdel", "\u202eevil\u2066x", strings.Repeat("長", MaxText+5), "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := cleanText(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", in)
		}
		if n := utf8.RuneCountInString(out); n > MaxText {
			t.Fatalf("%d characters, more than %d", n, MaxText)
		}
		if out != strings.TrimSpace(out) {
			t.Fatalf("untrimmed %q", out)
		}
		for _, r := range out {
			if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 ||
				r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				t.Fatalf("control %U kept from %q", r, in)
			}
		}
	})
}
