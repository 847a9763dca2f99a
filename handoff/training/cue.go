package training

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"tsunagu/bot"
)

// Cues is a list of phrases; a line matches when it contains any of them
// after both sides are normalised the way the bot normalises messages
// (bot.Normalize: NFKC, case folding, katakana to hiragana, punctuation to
// spaces). A phrase that starts with a Latin letter or digit must start at a
// word boundary, so "sorry" matches "I'm sorry" but "pin" does not match
// "shipping"; Japanese phrases match anywhere, as Japanese has no spaces.
type Cues []string

// compiledCues holds normalised phrases, ready for matching.
type compiledCues []cue

type cue struct {
	text     string
	boundary bool // must start at a word boundary
}

func compileCues(phrases []string) compiledCues {
	out := make(compiledCues, 0, len(phrases))
	for _, p := range phrases {
		n := bot.Normalize(p)
		if n == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(n)
		out = append(out, cue{text: n, boundary: r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))})
	}
	return out
}

// normalised is a trainee line prepared once for many cue lists.
type normalised struct {
	raw  string
	text string
}

func normalise(s string) normalised { return normalised{raw: s, text: bot.Normalize(s)} }

// first returns the first phrase of cs found in n, or "".
func (cs compiledCues) first(n normalised) string {
	for _, c := range cs {
		if containsCue(n.text, c) {
			return c.text
		}
	}
	return ""
}

func (cs compiledCues) any(n normalised) bool { return cs.first(n) != "" }

// containsCue finds c in text, honouring the word-boundary rule.
func containsCue(text string, c cue) bool {
	from := 0
	for {
		i := strings.Index(text[from:], c.text)
		if i < 0 {
			return false
		}
		at := from + i
		if !c.boundary || at == 0 {
			return true
		}
		prev, _ := utf8.DecodeLastRuneInString(text[:at])
		if !(prev < utf8.RuneSelf && (unicode.IsLetter(prev) || unicode.IsDigit(prev))) {
			return true
		}
		from = at + 1
	}
}

// MatchCue reports whether line contains any of phrases under the rules of
// Cues. It is the free-text matcher every reaction rule and rubric cue uses.
func MatchCue(line string, phrases []string) bool {
	return compileCues(phrases).any(normalise(line))
}
