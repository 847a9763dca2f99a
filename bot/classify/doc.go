// Package classify is how tsunagu understands text: the one normalisation
// (Normalize), language detection (DetectLanguage) and trained text
// classifier, so that the bot and everything else that reads people's words
// (the simulated operators, for one) read them the same way.
//
// A [Model] is trained from labelled examples ([Train]), or from a small
// YAML label set ([LoadLabels]), never from keyword lists written in Go:
// a new phrasing is taught by adding an example. Training is deterministic
// (a fixed seed and ordered data), so the same examples always give the same
// model and the same answers.
//
// The features are script based: English words, word pairs and character
// 4-grams (which, with a typo corrector built from the examples' own
// vocabulary, tolerate misspellings), and for Japanese, kanji, runs of kanji
// and character pairs with katakana folded to hiragana. One model therefore
// reads both languages; a label set gives examples in each.
//
// This package owns no policy: what a score means (answer, clarify, escalate,
// ask to rephrase) is decided by its callers.
package classify
