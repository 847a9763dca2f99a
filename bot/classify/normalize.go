package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// FoldKana maps katakana to hiragana, so カード and かーど match. x/text has no
// kana folding of its own; the two blocks are offset by 0x60. Patterns that
// must match normalised text fold with it too.
func FoldKana(r rune) rune {
	if r >= 0x30A1 && r <= 0x30F6 {
		return r - 0x60
	}
	return r
}

// Normalize folds a message for matching: NFKC (which also folds full-width
// ASCII and half-width katakana), Unicode case folding, katakana to hiragana,
// apostrophes dropped inside words ("don't" → "dont"), every other
// punctuation or symbol turned into a space, and runs of spaces squeezed.
// Invalid UTF-8 becomes spaces. The result is what patterns and features see.
func Normalize(s string) string {
	if !isASCII(s) {
		// Pure ASCII needs neither: NFKC leaves it alone and its case
		// folding is lower-casing, done in the loop below.
		s = norm.NFKC.String(strings.ToValidUTF8(s, " "))
		s = cases.Fold().String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true
	prev := rune(0)
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		r = FoldKana(r)
		if r >= 0xAB70 && r <= 0xABBF {
			// x/text folds Cherokee both ways (Ꮀ↔ꮀ); settle on the
			// Unicode CaseFolding target so folding is idempotent.
			r = r - 0xAB70 + 0x13A0
		}
		switch {
		case r == '\'' || r == '’':
			// Keep words whole: "can't" → "cant". Elsewhere it is a space.
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			if isWordRune(prev) && isWordRune(unicode.ToLower(next)) {
				continue
			}
			if !space {
				b.WriteByte(' ')
				space = true
			}
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'),
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)):
			b.WriteRune(r)
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
		prev = r
	}
	return strings.TrimRight(b.String(), " ")
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
}

// IsJapanese reports whether r is kana, a CJK ideograph or the long-vowel
// mark: the characters that make a message Japanese.
func IsJapanese(r rune) bool {
	switch {
	case r < 0x3000:
		return false
	case r >= 0x3040 && r <= 0x30FF, r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF, r == '々':
		return true
	case r >= 0xFF66 && r <= 0xFF9F: // half-width katakana
		return true
	}
	return unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han)
}

// DetectLanguage says which language a message is written in: "ja" when it
// holds any kana or kanji, "en" when it holds Latin letters and no Japanese,
// and fallback when it holds neither (digits, emoji, "?").
func DetectLanguage(text, fallback string) string {
	latin := false
	for _, r := range text {
		if IsJapanese(r) {
			return "ja"
		}
		if r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z') || r >= 'ａ' && r <= 'ｚ' || r >= 'Ａ' && r <= 'Ｚ' {
			latin = true
		}
	}
	if latin {
		return "en"
	}
	return fallback
}
