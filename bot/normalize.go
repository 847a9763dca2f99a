package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// kanaFold maps katakana to hiragana, so カード and かーど match. x/text has no
// kana folding of its own; the two blocks are offset by 0x60.
var kanaFold = runes.Map(func(r rune) rune {
	if r >= 0x30A1 && r <= 0x30F6 {
		return r - 0x60
	}
	return r
})

// caseFold is safe for concurrent use: cases.Caser is not, so a fresh one is
// made per call through the transform chain below.
func foldChain() transform.Transformer {
	return transform.Chain(norm.NFKC, cases.Fold(), kanaFold)
}

// Normalize folds a message for matching: NFKC (which also folds full-width
// ASCII and half-width katakana), Unicode case folding, katakana to hiragana,
// apostrophes dropped inside words ("don't" → "dont"), every other
// punctuation or symbol turned into a space, and runs of spaces squeezed.
// Invalid UTF-8 becomes spaces. The result is what patterns and features see.
func Normalize(s string) string {
	folded, _, err := transform.String(foldChain(), strings.ToValidUTF8(s, " "))
	if err != nil {
		folded = strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(folded))
	space := true
	prev := rune(0)
	for i, r := range folded {
		switch {
		case r == '\'' || r == '’':
			// Keep words whole: "can't" → "cant". Elsewhere it is a space.
			next, _ := utf8.DecodeRuneInString(folded[i+utf8.RuneLen(r):])
			if isWordRune(prev) && isWordRune(next) {
				continue
			}
			if !space {
				b.WriteByte(' ')
				space = true
			}
		case r == 'ー' || r == '々':
			b.WriteRune(r)
			space = false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
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

// isJapanese reports whether r is kana, a CJK ideograph or the long-vowel
// mark: the characters that make a message Japanese.
func isJapanese(r rune) bool {
	return unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) || r == 'ー' || r == '々'
}

// DetectLanguage says which language a message is written in: "ja" when it
// holds any kana or kanji, "en" when it holds Latin letters and no Japanese,
// and fallback when it holds neither (digits, emoji, "?").
func DetectLanguage(text, fallback string) string {
	latin := false
	for _, r := range text {
		if isJapanese(r) {
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
