package classify

import (
	"iter"
	"strings"
	"unicode/utf8"
)

// Clauses yields the sentences and comma-separated clauses of text, trimmed,
// skipping empty ones. A customer often says several things in one line
// ("It leaks from the bottom, I need a replacement"); reading each clause on
// its own keeps one request from being drowned by the description around
// it. A full stop splits only before a space or at the end, so "3.5" and
// "amazon.co.jp" stay whole.
func Clauses(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start := 0
		emit := func(end int) bool {
			c := strings.TrimSpace(text[start:end])
			return c == "" || yield(c)
		}
		for i, r := range text {
			split := false
			switch r {
			case '。', '、', '，', '．', ',', '!', '?', '！', '？', ';', '；', '\n', '…':
				split = true
			case '.':
				next, _ := utf8.DecodeRuneInString(text[i+1:])
				split = i+1 == len(text) || next == ' ' || next == '\t'
			}
			if split {
				if !emit(i) {
					return
				}
				start = i + utf8.RuneLen(r)
			}
		}
		emit(len(text))
	}
}
