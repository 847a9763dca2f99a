package training

import (
	"fmt"
	"strings"
	"time"

	"tsunagu/transcripts/termsafe"
)

// mdEscaper escapes everything that means something in Markdown, so a
// trainee's quoted line can never open a code block, a link, a heading or
// HTML in the exported file.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;",
	"#", `\#`, "|", `\|`, "!", `\!`, "(", `\(`, ")", `\)`, "~", `\~`, "&", "&amp;",
)

// mdInline makes untrusted text safe for one Markdown table cell or line.
func mdInline(s string) string {
	s = termsafe.Line(s)
	s = strings.Join(strings.Fields(s), " ")
	// & first would double-escape the entities added above; the replacer
	// handles each byte once, left to right, so order is irrelevant.
	return mdEscaper.Replace(s)
}

// Markdown renders the scorecard as a Markdown document in its language.
func (c Scorecard) Markdown() string {
	lang := c.Lang
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", msg(lang, "Scorecard", "スコアカード"), mdInline(c.Title))
	fmt.Fprintf(&b, "- %s: %s\n", msg(lang, "Trainee", "研修生"), mdInline(c.Trainee))
	fmt.Fprintf(&b, "- %s: `%s`\n", msg(lang, "Scenario", "シナリオ"), mdInline(c.ScenarioID))
	fmt.Fprintf(&b, "- %s: %s\n", msg(lang, "Started", "開始"), c.At.Format(time.RFC3339))
	if c.Live {
		fmt.Fprintf(&b, "- %s: %s\n", msg(lang, "Customer", "お客様"), msg(lang, "played live by a person", "人がその場で担当"))
	}
	fmt.Fprintf(&b, "- %s: %s\n", msg(lang, "Outcome", "結果"), outcomeText(c.Outcome, c.Resolved, lang))
	fmt.Fprintf(&b, "- %s: %d/100\n", msg(lang, "Customer mood at the end", "最後のお客様の気分"), c.Mood)
	fmt.Fprintf(&b, "- %s: **%.1f** / 100", msg(lang, "Score", "得点"), c.Total)
	if c.CriticalFailed {
		fmt.Fprintf(&b, " %s", msg(lang, "(a critical item failed; %.1f before that)", "（重大項目で不合格。それ以前の得点は %.1f）", c.Weighted))
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "| %s | %s | %s | %s |\n|---|---|---|---|\n",
		msg(lang, "Item", "項目"), msg(lang, "Score", "得点"), msg(lang, "Why", "理由"), msg(lang, "Your line", "あなたの発言"))
	for _, it := range c.Items {
		score := fmt.Sprintf("%.1f / %d", it.Points, it.Weight)
		if it.Critical {
			score = msg(lang, "pass", "合格")
			if it.Failed {
				score = msg(lang, "**FAIL**", "**不合格**")
			}
		}
		quote := ""
		if it.Quote != "" {
			quote = "“" + mdInline(it.Quote) + "”"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdInline(it.Item.Label(lang)), score, mdInline(it.Why), quote)
	}
	b.WriteString(c.transcriptMarkdown())
	return b.String()
}

// outcomeText describes how a session ended, in lang.
func outcomeText(o Outcome, resolved bool, lang string) string {
	var s string
	switch o {
	case OutcomeClosed:
		s = msg(lang, "closed by the trainee", "研修生がクローズ")
	case OutcomeTransferred:
		s = msg(lang, "transferred", "転送")
	case OutcomeLeft:
		s = msg(lang, "the customer left", "お客様が退出")
	default:
		s = msg(lang, "still open", "対応中")
	}
	if resolved {
		s += msg(lang, ", resolved", "・解決済み")
	} else {
		s += msg(lang, ", not resolved", "・未解決")
	}
	return s
}

// OutcomeText describes how a session ended, in lang, for the screens.
func OutcomeText(o Outcome, resolved bool, lang string) string { return outcomeText(o, resolved, lang) }
