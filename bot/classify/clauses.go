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

// englishJoins are the words that join two things a customer says in one
// English sentence ("and also", "on top of that"); IssueClauses splits a
// message there and drops them. Longer ones come first, so "and also" is
// taken before "also".
var englishJoins = []string{
	"on top of that", "in addition to that", "in addition", "besides that", "another thing is",
	"another thing", "apart from that", "and also", "as well as that", ", and", "besides", "also", "plus",
}

// japaneseJoins split wherever they stand; japaneseOpeners only open a
// clause (after 。 or 、, or at the start), because inside one they mean
// something else (「あとで」 later, 「また届かない」 again).
var (
	japaneseJoins   = []string{"ついでに", "それから", "それと", "加えて"}
	japaneseOpeners = []string{"あとは", "あと", "また", "さらに", "しかも", "それに", "ほかにも", "他にも", "それ以外に", "別件で", "別件ですが"}
)

// IssueClauses yields the parts of a message that can each raise an issue
// of their own: its sentences (split at 。 ! ? ; a new line, and a full stop
// or colon before a space), and the clauses inside a sentence joined by
// "also", "plus", "on top of that", "besides", ", and" (English) or
// 「それと」「あと」「また」「ついでに」「のと」「件と」「うえに」「し、」 (Japanese).
// The joining words themselves are dropped; each part is trimmed and a part
// with nothing left is skipped. Every part is a substring of text.
//
// Unlike Clauses, it does not split at every comma: "the kettle, which I
// bought last week, leaks" is one thing said.
func IssueClauses(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start := 0
		emit := func(end int) bool {
			c := strings.Trim(text[start:end], " \t\r\n、,，:：")
			return c == "" || yield(c)
		}
		for i := 0; i < len(text); {
			r, size := utf8.DecodeRuneInString(text[i:])
			cut, skip, keep := false, 0, 0
			switch r {
			case '。', '．', '!', '?', '！', '？', ';', '；', '\n', '…':
				cut, skip = true, size
			case '.', ':', '：':
				next, _ := utf8.DecodeRuneInString(text[i+size:])
				if i+size == len(text) || next == ' ' || next == '\t' || r == '：' {
					cut, skip = true, size
				}
			case '件':
				// 「届かない件と、返金の件」: the matter stays with its clause.
				if next, n := utf8.DecodeRuneInString(text[i+size:]); next == 'と' || next == '、' {
					cut, skip, keep = true, size+n, size
				}
			default:
				if n := joinAt(text, i, start); n > 0 {
					cut, skip = true, n
				}
			}
			if cut {
				if !emit(i + keep) {
					return
				}
				start = i + skip
				i += skip
				continue
			}
			i += size
		}
		emit(len(text))
	}
}

// joinAt returns the length of the joining words at byte i of text (a
// clause began at start), or 0.
func joinAt(text string, i, start int) int {
	rest := text[i:]
	r, _ := utf8.DecodeRuneInString(rest)
	if r < utf8.RuneSelf {
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		if isASCIILetter(r) && i > 0 && (isASCIILetter(prev) || prev == '\'') {
			return 0 // not at a word start
		}
		for _, j := range englishJoins {
			if len(rest) < len(j) || !strings.EqualFold(rest[:len(j)], j) {
				continue
			}
			after, _ := utf8.DecodeRuneInString(rest[len(j):])
			if len(rest) > len(j) && (isASCIILetter(after) || after == '\'') {
				continue // "plush", "alsoo"
			}
			if j == "plus" && afterDeterminer(text[:i]) {
				continue // "my Plus membership": a name, not a join
			}
			return len(j)
		}
		return 0
	}
	for _, j := range japaneseJoins {
		if strings.HasPrefix(rest, j) && !strings.HasPrefix(rest[len(j):], "も") { // 「それとも」 is "or"
			return len(j)
		}
	}
	if strings.Trim(text[start:i], " \t\r\n、,，") == "" {
		for _, j := range japaneseOpeners {
			if strings.HasPrefix(rest, j) && !strings.HasPrefix(rest[len(j):], "で") { // 「あとで」 later
				return len(j)
			}
		}
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:i])
	switch {
	case strings.HasPrefix(rest, "のと"):
		// 「届かないのと、二重請求」 joins two things; 「のとき」「のとおり」 do not.
		next, _ := utf8.DecodeRuneInString(rest[len("のと"):])
		if len(rest) > len("のと") && !isHiragana(next) {
			return len("のと")
		}
	case strings.HasPrefix(rest, "うえに"), strings.HasPrefix(rest, "上に"):
		// 「遅れたうえに」「届かない上に」, not 「机の上に」.
		if strings.ContainsRune("たるいだ", prev) {
			if strings.HasPrefix(rest, "上に") {
				return len("上に")
			}
			return len("うえに")
		}
	case strings.HasPrefix(rest, "し、"), strings.HasPrefix(rest, "し,"):
		// 「届かないし、」「違いますし、」「できませんし、」: a listing し
		// after a predicate.
		if strings.ContainsRune("いすただん", prev) {
			return len("し")
		}
	}
	return 0
}

// afterDeterminer reports whether before ends with a word such as "my" or
// "the", after which the next word belongs to a noun phrase.
func afterDeterminer(before string) bool {
	f := strings.Fields(strings.ToLower(before))
	if len(f) == 0 {
		return false
	}
	switch f[len(f)-1] {
	case "my", "your", "our", "the", "a", "an", "his", "her", "their", "this", "that":
		return true
	}
	return false
}

func isASCIILetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func isHiragana(r rune) bool { return r >= 'ぁ' && r <= 'ゖ' }
