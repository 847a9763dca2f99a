package bot

import (
	"strings"
	"unicode/utf8"
)

// Feature kinds. Each feature is hashed with its kind so that the word "ord"
// and the character n-gram "ord" never collide on purpose.
const (
	kindWord   = 'w' // an English word
	kindBigram = 'b' // two adjacent English words
	kindChar   = 'c' // a character 4-gram of an English word, with boundaries
	kindJa2    = 'j' // two adjacent Japanese characters (kana folded)
	kindJa3    = 'k' // three adjacent Japanese characters
	kindJa1    = 'h' // one kanji
)

// fnv-1a, 64 bit, over the kind byte and the text.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashFeature(kind byte, parts ...string) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(kind)
	h *= fnvPrime
	for i, p := range parts {
		if i > 0 {
			h ^= ' '
			h *= fnvPrime
		}
		for j := 0; j < len(p); j++ {
			h ^= uint64(p[j])
			h *= fnvPrime
		}
	}
	return h
}

// segment is one run of a normalised message: an English word or a run of
// Japanese characters.
type segment struct {
	text string
	ja   bool
}

// segments splits normalised text into English words and Japanese runs.
// "注文をcancelしたい" gives 注文を, cancel, したい.
func segments(normalised string) []segment {
	var out []segment
	for _, field := range strings.Fields(normalised) {
		start := 0
		ja := false
		for i, r := range field {
			j := isJapanese(r) || r >= 0x3040 && r <= 0x30FF
			if i == 0 {
				ja = j
				continue
			}
			if j != ja {
				out = append(out, segment{field[start:i], ja})
				start, ja = i, j
			}
		}
		out = append(out, segment{field[start:], ja})
	}
	return out
}

// featureSet is the hashed features of one message with the English words
// kept for the explanation and for typo correction.
type featureSet struct {
	hashes []uint64
	names  []string // parallel to hashes; filled only when explaining
}

// extractFeatures turns normalised text into hashed features. correct maps an
// unknown English word to a known one (typo tolerance); it may be nil.
// explain keeps readable names for the "why?" view.
func extractFeatures(normalised string, correct func(string) string, explain bool) featureSet {
	var fs featureSet
	add := func(h uint64, name func() string) {
		fs.hashes = append(fs.hashes, h)
		if explain {
			fs.names = append(fs.names, name())
		}
	}
	prev := ""
	for _, seg := range segments(normalised) {
		if seg.ja {
			prev = ""
			addJapanese(seg.text, add)
			continue
		}
		// Numbers (order ids, amounts, dates) say nothing about the intent,
		// and would count as unknown words against the coverage.
		if hasDigit(seg.text) {
			continue
		}
		words := seg.text
		if correct != nil {
			words = correct(words)
		}
		for _, word := range strings.Fields(words) {
			add(hashFeature(kindWord, word), func() string { return "word:" + word })
			if prev != "" {
				p := prev
				add(hashFeature(kindBigram, p, word), func() string { return "words:" + p + " " + word })
			}
			prev = word
			// Character 4-grams, so a typo the corrector missed still
			// shares most of its grams with the real word.
			padded := "#" + word + "#"
			if len(padded) <= 4 || !isASCII(padded) {
				continue
			}
			for i := 0; i+4 <= len(padded); i++ {
				g := padded[i : i+4]
				add(hashFeature(kindChar, g), func() string { return "chars:" + g })
			}
		}
	}
	return fs
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// addJapanese emits kanji unigrams, and character bigrams and trigrams of a
// Japanese run, with the run boundaries marked so that a word at the start of
// a message is distinguished from one inside it.
func addJapanese(run string, add func(uint64, func() string)) {
	rs := make([]string, 0, len(run)/3+2)
	rs = append(rs, "^")
	for _, r := range run {
		rs = append(rs, string(r))
		if r >= 0x4E00 && r <= 0x9FFF {
			s := string(r)
			add(hashFeature(kindJa1, s), func() string { return "kanji:" + s })
		}
	}
	rs = append(rs, "$")
	for i := 0; i+2 <= len(rs); i++ {
		g := rs[i] + rs[i+1]
		add(hashFeature(kindJa2, g), func() string { return "ja:" + g })
	}
	for i := 0; i+3 <= len(rs); i++ {
		g := rs[i] + rs[i+1] + rs[i+2]
		add(hashFeature(kindJa3, g), func() string { return "ja:" + g })
	}
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}
