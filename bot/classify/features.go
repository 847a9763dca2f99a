package classify

import (
	"iter"
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
	kindJa1    = 'h' // one kanji
	kindJa3    = 'k' // three adjacent Japanese characters (coverage probes only)
	kindJaWord = 'r' // a run of two or more kanji: usually one content word (注文, 配送先)
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

// segments yields the English words and Japanese runs of normalised text.
// "注文をcancelしたい" gives 注文を, cancel, したい. It is an iterator so that
// classifying a message allocates nothing for it.
func segments(normalised string) iter.Seq[segment] {
	return func(yield func(segment) bool) {
		for field := range strings.FieldsSeq(normalised) {
			start := 0
			ja := false
			for i, r := range field {
				j := IsJapanese(r) || r >= 0x3040 && r <= 0x30FF
				if i == 0 {
					ja = j
					continue
				}
				if j != ja {
					if !yield(segment{field[start:i], ja}) {
						return
					}
					start, ja = i, j
				}
			}
			if !yield(segment{field[start:], ja}) {
				return
			}
		}
	}
}

// featureSet is the hashed features of one text, with readable names kept
// for the explanation.
type featureSet struct {
	hashes []uint64
	// probes are Japanese character trigrams. They are not scored (as
	// features they memorise phrasings), but whether the examples ever had
	// them is a good test of whether a text is about what the examples are
	// about at all, so they count towards Reading.Coverage.
	probes []uint64
	names  []string // parallel to hashes; filled only when explaining
}

// extractFeatures turns normalised text into hashed features. correct maps an
// unknown English word to a known one (typo tolerance); it may be nil.
// explain keeps readable names for the "why?" view.
func extractFeatures(normalised string, correct func(string) string, explain bool) featureSet {
	return extractFeaturesInto(make([]uint64, 0, 64), nil, nil, normalised, correct, explain)
}

// extractFeaturesInto is extractFeatures appending to buf, probeBuf and
// nameBuf, so a caller can reuse the buffers across messages.
func extractFeaturesInto(buf, probeBuf []uint64, nameBuf []string, normalised string, correct func(string) string, explain bool) featureSet {
	fs := featureSet{hashes: buf[:0], probes: probeBuf[:0], names: nameBuf[:0]}
	add := func(h uint64, kind, name string) {
		fs.hashes = append(fs.hashes, h)
		if explain {
			fs.names = append(fs.names, kind+name)
		}
	}
	prev := ""
	for seg := range segments(normalised) {
		if seg.ja {
			prev = ""
			addJapanese(seg.text, &fs, explain)
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
		for word := range strings.FieldsSeq(words) {
			add(hashFeature(kindWord, word), "word:", word)
			if prev != "" {
				h := hashFeature(kindBigram, prev, word)
				if explain {
					add(h, "words:", prev+" "+word)
				} else {
					fs.hashes = append(fs.hashes, h)
				}
			}
			prev = word
			// Character 4-grams over "#word#", so a typo the corrector
			// missed still shares most of its grams with the real word.
			if len(word) < 3 || !isASCII(word) {
				continue
			}
			for i := -1; i+3 <= len(word); i++ {
				fs.hashes = append(fs.hashes, hashGram(word, i))
				if explain {
					fs.names = append(fs.names, "chars:"+gramName(word, i))
				}
			}
		}
	}
	return fs
}

// hashGram hashes the 4-gram of "#"+word+"#" starting at i+1 without building
// the padded string.
func hashGram(word string, i int) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(kindChar)
	h *= fnvPrime
	for j := i; j < i+4; j++ {
		c := byte('#')
		if j >= 0 && j < len(word) {
			c = word[j]
		}
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

func gramName(word string, i int) string {
	padded := "#" + word + "#"
	return padded[i+1 : i+5]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// addJapanese emits kanji unigrams, runs of kanji (roughly the content words),
// and character bigrams of a Japanese run, with the run boundaries marked so
// that a word at the start of a message is distinguished from one inside it.
// Trigrams are not scored: on held-out Japanese they memorised phrasings
// (about 1.5 points worse in 5-fold cross-validation of the examples). They
// are kept as coverage probes (see featureSet).
func addJapanese(run string, fs *featureSet, explain bool) {
	prev, prev2 := "^", ""
	trigram := func(c string) {
		if prev2 != "" {
			fs.probes = append(fs.probes, hashFeature(kindJa3, prev2, prev, c))
		}
	}
	kanjiStart, kanjiLen := 0, 0
	endKanjiRun := func(end int) {
		if kanjiLen >= 2 {
			w := run[kanjiStart:end]
			fs.hashes = append(fs.hashes, hashFeature(kindJaWord, w))
			if explain {
				fs.names = append(fs.names, "kanji-word:"+w)
			}
		}
		kanjiLen = 0
	}
	bigram := func(a, b string) {
		fs.hashes = append(fs.hashes, hashFeature(kindJa2, a, b))
		if explain {
			fs.names = append(fs.names, "ja:"+a+b)
		}
	}
	for i, r := range run {
		s := run[i : i+utf8.RuneLen(r)]
		bigram(prev, s)
		trigram(s)
		prev2, prev = prev, s
		if r >= 0x4E00 && r <= 0x9FFF || r == '々' {
			if kanjiLen == 0 {
				kanjiStart = i
			}
			kanjiLen++
			fs.hashes = append(fs.hashes, hashFeature(kindJa1, s))
			if explain {
				fs.names = append(fs.names, "kanji:"+s)
			}
		} else {
			endKanjiRun(i)
		}
	}
	endKanjiRun(len(run))
	bigram(prev, "$")
	trigram("$")
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}
