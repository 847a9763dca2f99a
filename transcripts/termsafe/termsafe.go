// Package termsafe is tsunagu's one terminal sanitiser (the product contract,
// the reliability cases section A). Every text that reaches a screen or a Markdown
// export passes through it, whatever its source: the customer, rules,
// operator and scenario files, stored history, names.
//
// It removes every escape sequence (CSI, OSC, DCS, APC, PM, SOS and
// two-byte ESC sequences) and every control character, C0, DEL and C1,
// except newline and tab. It also removes bidi overrides and zero-width
// characters, which can hide or reorder text; a zero-width joiner survives in
// Text only between two emoji, where it forms a single glyph. Invalid UTF-8
// becomes U+FFFD. CRLF and lone CR become one newline, so "safe\rEVIL"
// cannot overwrite "safe".
//
// Sanitising is idempotent: Text(Text(s)) == Text(s).
package termsafe

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

const zwj = '\u200d'

// Text sanitises multi-line text. Newlines and tabs survive; use ExpandTabs
// before laying the text out.
func Text(s string) string {
	if isPlainASCII(s, true) {
		return s
	}
	return clean(s, true)
}

// Line sanitises a one-line field such as a name, an id, a label, a phone
// number or an email. Newlines and tabs become spaces, and every zero-width
// character is removed.
func Line(s string) string {
	if isPlainASCII(s, false) {
		return s
	}
	return clean(s, false)
}

// isPlainASCII reports whether s is printable ASCII (plus newline when
// multiline), which needs no work: the common case, kept allocation-free.
func isPlainASCII(s string, multiline bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			continue
		}
		if multiline && (c == '\n' || c == '\t') {
			continue
		}
		return false
	}
	return true
}

func clean(s string, multiline bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	// CR handling comes before stripping so that "\r" never reaches a parser
	// that might treat it as part of a sequence.
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = ansi.Strip(s)

	runes := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\u2028' || r == '\u2029':
			if multiline {
				runes = append(runes, '\n')
			} else {
				runes = append(runes, ' ')
			}
		case r == '\t':
			if multiline {
				runes = append(runes, '\t')
			} else {
				runes = append(runes, ' ')
			}
		case r == zwj && multiline:
			runes = append(runes, r) // decided below, once its neighbours are final
		case removed(r):
		default:
			runes = append(runes, r)
		}
	}
	if multiline {
		runes = keepJoinersBetweenEmoji(runes)
	}
	return string(runes)
}

// removed reports runes that never reach the screen: controls, bidi
// controls, zero-width and other invisible format characters.
func removed(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f: // C0, DEL, C1
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, // bidi embeddings, overrides, isolates
		r == 0x200e, r == 0x200f, r == 0x061c: // bidi marks
		return true
	case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff, r == 0x00ad, // zero-width, soft hyphen
		r >= 0x2061 && r <= 0x2064, r == 0x180e, r == 0x034f: // invisible operators, joiners
		return true
	case r >= 0xe0000 && r <= 0xe007f: // tag characters can smuggle invisible text
		return true
	case r >= 0xfff9 && r <= 0xfffb: // interlinear annotation controls
		return true
	}
	return false
}

// keepJoinersBetweenEmoji drops every zero-width joiner that does not sit
// between two emoji. It runs on already-filtered runes so that the result is
// stable when sanitised again.
func keepJoinersBetweenEmoji(runes []rune) []rune {
	out := runes[:0]
	for i, r := range runes {
		if r == zwj {
			prevOK := len(out) > 0 && isEmojiPart(out[len(out)-1])
			nextOK := i+1 < len(runes) && isEmoji(runes[i+1])
			if !prevOK || !nextOK {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

func isEmoji(r rune) bool {
	return r >= 0x1f000 && r <= 0x1faff || r >= 0x2600 && r <= 0x27bf || r == 0x2b50 || r == 0x2b55 ||
		r >= 0x2300 && r <= 0x23ff || unicode.Is(unicode.So, r) && r > 0x2000
}

// isEmojiPart also accepts what may end an emoji before a joiner: a
// variation selector or a skin-tone modifier.
func isEmojiPart(r rune) bool {
	return isEmoji(r) || r == 0xfe0f || r >= 0x1f3fb && r <= 0x1f3ff
}

// ExpandTabs replaces each tab with spaces up to the next multiple of width
// display cells, measured per line with ansi.StringWidth.
func ExpandTabs(s string, width int) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	if width < 1 {
		width = 1
	}
	var b strings.Builder
	col := 0
	for len(s) > 0 {
		i := strings.IndexAny(s, "\t\n")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		col += ansi.StringWidth(s[:i])
		if s[i] == '\n' {
			b.WriteByte('\n')
			col = 0
		} else {
			n := width - col%width
			b.WriteString(strings.Repeat(" ", n))
			col += n
		}
		s = s[i+1:]
	}
	return b.String()
}
