package training

import (
	"regexp"
	"strings"
)

// Time expressions ("within 24 hours", "by Friday", 「明日中に」, 「3営業日以内」)
// are recognised by a small grammar, number + unit or a named day, not by a
// list of phrases: any number and any unit make an expression. Before a
// clause is classified, each expression is replaced by one placeholder word,
// so "within 2 days" in an example teaches "within 48 hours" too.

// timePlaceholder stands for any time expression in the text the models read.
const timePlaceholder = "timespan"

const (
	enNumber = `(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|forty[- ]eight|twenty[- ]four|a few|a couple of|several|an?)`
	enUnit   = `(?:(?:business|working|calendar)[ -])?(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)`
	enDay    = `(?:today|tonight|tomorrow(?: morning| afternoon| evening)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:this|next) (?:week|month|monday|tuesday|wednesday|thursday|friday)|the end of (?:the |this )?(?:day|week|month))`
	enClock  = `\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}`
	jaNumber = `(?:[0-9０-９]+|[一二三四五六七八九十百]+|数)`
	jaUnit   = `(?:営業日|日間|日|時間|週間|分|か月|ヶ月|カ月)`
	jaDay    = `(?:本日|今日|明日|明後日|あす|あした|今週|来週|今月|来月|今夜|今晩|週明け|[月火水木金土日]曜日?)`
)

var (
	enTimeRE = regexp.MustCompile(`(?i)\b(?:(?:within|in|after|for|under|up to|over) (?:the next )?)?` + enNumber + `(?:\s?(?:-|–|to|or)\s?` + enNumber + `)?[ -]` + enUnit + `\b` +
		`|\b(?:(?:by|before|on|until|from|at|after) )?(?:` + enDay + `|` + enClock + `)`)
	jaTimeRE = regexp.MustCompile(jaNumber + `(?:[〜~～\-ー]` + jaNumber + `)?` + jaUnit + `(?:以内|後|ほど|程度|前後|中|まで(?:に)?)?` +
		`|(?:午前|午後)?` + jaNumber + `時(?:` + jaNumber + `分|半)?(?:から|まで|以降)?` +
		`|` + jaDay + `(?:中|の朝一番|の朝|の午前|の午後|朝一番|まで(?:に)?|以内)?`)
)

// timeExpressions returns the time expressions in text, in order.
func timeExpressions(text string) []string {
	var out []string
	for _, re := range []*regexp.Regexp{enTimeRE, jaTimeRE} {
		for _, m := range re.FindAllString(text, -1) {
			if m = strings.TrimSpace(m); m != "" && !isBareArticle(m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// isBareArticle rejects "a" or "an" matched without a unit (the grammar
// requires a unit, so this is only a guard against an empty number).
func isBareArticle(s string) bool {
	l := strings.ToLower(s)
	return l == "a" || l == "an"
}

// withTimePlaceholder replaces every time expression in text by the
// placeholder word, spaced so it stays a word of its own.
func withTimePlaceholder(text string) string {
	text = enTimeRE.ReplaceAllString(text, " "+timePlaceholder+" ")
	return jaTimeRE.ReplaceAllString(text, " "+timePlaceholder+" ")
}
