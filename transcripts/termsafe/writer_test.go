package termsafe

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile holds what a terminal must never receive.
func hostile(out []byte) string {
	for i, r := range string(out) {
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			return fmt.Sprintf("control %U at %d", r, i)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
			return fmt.Sprintf("bidi control %U at %d", r, i)
		}
	}
	if !utf8.Valid(out) {
		return "invalid UTF-8"
	}
	return ""
}

func TestWriterSanitisesEveryWrite(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"one write", []string{"ok \x1b]52;c;ZXZpbA==\x07\x1b[2J\u202eevil\n"}, "ok evil\n"},
		{"a rune cut in two", []string{"返", "\xe5\x93", "\x81品\n"}, "返品品\n"},
		{"CRLF cut in two", []string{"a\r", "\nb\n"}, "a\nb\n"},
		{"lone CR at the end", []string{"a\r"}, "a\n"},
		{"ZWJ emoji cut in two", []string{"👨\u200d", "👩\n"}, "👨\u200d👩\n"},
		{"ZWJ before a letter", []string{"a\u200d", "b"}, "ab"},
		{"escape cut in two shows no sequence", []string{"x\x1b]52;c;QUFB", "QUFB\x07y"}, "xQUFBy"},
		{"ESC alone at the end", []string{"x\x1b", "[2Jy"}, "x[2Jy"},
		{"C1 as UTF-8", []string{"a\u009b31mb"}, "a31mb"},
		{"tabs and newlines survive", []string{"a\tb\n", "c\n"}, "a\tb\nc\n"},
		{"invalid byte at the end is flushed", []string{"ok\xe3"}, "ok\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			w := NewWriter(&out)
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Fatalf("wrote %q, want %q", out.String(), tt.want)
			}
			if w.Unwrap() != &out {
				t.Fatal("Unwrap does not give the writer back")
			}
		})
	}
}

// FuzzWriter: whatever is written, in whatever pieces, the output holds no
// escape, C0 (but newline and tab), C1 or bidi control and is valid UTF-8;
// and text that was already safe comes out unchanged.
func FuzzWriter(f *testing.F) {
	f.Add("ok \x1b]52;c;ZXZpbA==\x07\x1b[2J\u202eevil\n", uint8(3))
	f.Add("返品\r\n👨\u200d👩", uint8(1))
	f.Add("\x9b\xe3\x81", uint8(2))
	f.Fuzz(func(t *testing.T, s string, cut uint8) {
		var out bytes.Buffer
		w := NewWriter(&out)
		step := int(cut%16) + 1
		for i := 0; i < len(s); i += step {
			w.Write([]byte(s[i:min(i+step, len(s))]))
		}
		w.Flush()
		if bad := hostile(out.Bytes()); bad != "" {
			t.Fatalf("%q in pieces of %d wrote %q: %s", s, step, out.String(), bad)
		}
		if safe := Text(s); !strings.ContainsAny(safe, "\u200d") {
			var again bytes.Buffer
			w := NewWriter(&again)
			for i := 0; i < len(safe); i += step {
				w.Write([]byte(safe[i:min(i+step, len(safe))]))
			}
			w.Flush()
			if again.String() != safe {
				t.Fatalf("safe text %q changed to %q", safe, again.String())
			}
		}
	})
}
