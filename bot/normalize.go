package bot

import (
	"unicode/utf8"

	"golang.org/x/text/runes"

	"tsunagu/bot/classify"
)

// Normalize folds a message for matching, as classify.Normalize does: NFKC,
// case folding, katakana to hiragana, apostrophes dropped inside words,
// other punctuation turned into spaces. Patterns and features see the result.
func Normalize(s string) string { return classify.Normalize(s) }

// DetectLanguage says which language a message is written in, as
// classify.DetectLanguage does: "ja" for any kana or kanji, "en" for Latin
// letters, fallback for neither.
func DetectLanguage(text, fallback string) string { return classify.DetectLanguage(text, fallback) }

// kanaFold is Normalize's katakana folding as a transformer, for patterns.
var kanaFold = runes.Map(classify.FoldKana)

// isWordRune reports the ASCII letters and digits Normalize keeps in English
// words; a phrase starting or ending with one is matched as whole words.
func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
