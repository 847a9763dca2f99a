package training

import (
	"fmt"
	"strings"

	"tsunagu/bot"
	"tsunagu/handoff"
)

// PacketLines renders the handoff packet as the trainee receives it, one
// line per entry, in lang: reason, summary, facts and the bot's decisions.
// rules, when not nil, names the topic and the order status in lang.
// Screens sanitise each line before showing it.
func PacketLines(p *handoff.Packet, lang string, rules *bot.Rules) []string {
	if p == nil {
		return nil
	}
	var out []string
	add := func(label, value string) {
		if value != "" {
			out = append(out, label+": "+value)
		}
	}
	out = append(out, msg(lang, "── Handoff packet ──", "── 引き継ぎ資料 ──"))
	add(msg(lang, "Reason", "理由"), ReasonLabel(p.Reason, lang))
	add(msg(lang, "Summary", "要約"), p.Summary[lang])
	add(msg(lang, "Customer", "お客様"), p.Facts.Value(handoff.FactCustomer))
	if o := p.Facts.Order; o != nil {
		order := o.ID
		if items := p.Facts.Value(handoff.FactItem); items != "" {
			order += " (" + items + ")"
		}
		if o.Status != "" {
			status := o.Status
			if rules != nil {
				if t, ok := rules.Messages.OrderStatuses[o.Status]; ok && t.In(lang) != "" {
					status = t.In(lang)
				}
			}
			order += " · " + status
		}
		add(msg(lang, "Order", "注文"), order)
	}
	topic := p.Facts.Topic.Intent
	if rules != nil && topic != "" {
		if label := rules.Label(topic, lang); label != "" {
			topic = label
		}
	}
	add(msg(lang, "Topic", "トピック"), topic)
	for _, k := range []string{handoff.FactPhone, handoff.FactEmail, handoff.FactAmount} {
		if v, ok := p.Facts.Slots[k]; ok {
			add(k, v)
		}
	}
	for _, d := range p.Decisions {
		line := fmt.Sprintf("#%d %s", d.Turn, d.Action)
		if d.Intent != "" {
			line += " " + d.Intent
		}
		if d.Reason != bot.ReasonNone {
			line += " (" + string(d.Reason) + ")"
		}
		if d.Note != "" {
			line += ": " + d.Note
		}
		add(msg(lang, "Bot", "ボット"), line)
	}
	return out
}

// ScorecardText renders a scorecard as plain text for the line-mode session.
func ScorecardText(c Scorecard) string {
	lang := c.Lang
	var b strings.Builder
	fmt.Fprintf(&b, "\n== %s: %s ==\n", msg(lang, "Scorecard", "スコアカード"), c.Title)
	fmt.Fprintf(&b, "%s: %.1f / 100", msg(lang, "Score", "得点"), c.Total)
	if c.CriticalFailed {
		fmt.Fprintf(&b, "  %s", msg(lang, "(critical failure; %.1f before it)", "（重大項目で不合格。それ以前は %.1f）", c.Weighted))
	}
	fmt.Fprintf(&b, "\n%s: %s · %s %d/100\n", msg(lang, "Outcome", "結果"), outcomeText(c.Outcome, c.Resolved, lang), msg(lang, "mood", "気分"), c.Mood)
	for _, it := range c.Items {
		score := fmt.Sprintf("%4.1f/%-3d", it.Points, it.Weight)
		if it.Critical {
			score = msg(lang, "pass    ", "合格    ")
			if it.Failed {
				score = msg(lang, "FAIL    ", "不合格  ")
			}
		}
		fmt.Fprintf(&b, "%s %s: %s\n", score, it.Item.Label(lang), it.Why)
		if it.Quote != "" {
			fmt.Fprintf(&b, "         “%s”\n", it.Quote)
		}
	}
	return b.String()
}

// ProgressText renders trainees' progress as plain text.
func ProgressText(ps []Progress, lang string) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%s (%d %s)\n", p.Trainee, p.Sessions, msg(lang, "sessions", "回"))
		fmt.Fprintf(&b, "  %-28s %5s %5s %5s %5s\n", msg(lang, "scenario", "シナリオ"), "n", msg(lang, "best", "最高"), msg(lang, "last", "最新"), msg(lang, "avg", "平均"))
		for _, s := range p.Scenarios {
			fmt.Fprintf(&b, "  %-28s %5d %5.1f %5.1f %5.1f\n", s.ScenarioID, s.Sessions, s.Best, s.Last, s.Average)
		}
		fmt.Fprintf(&b, "  %-28s %7s %s\n", msg(lang, "rubric item", "評価項目"), msg(lang, "average", "平均"), msg(lang, "critical failures", "重大項目の不合格"))
		for _, it := range p.Items {
			fail := ""
			if it.Failed > 0 {
				fail = fmt.Sprintf("%d", it.Failed)
			}
			fmt.Fprintf(&b, "  %-28s %6.0f%% %s\n", it.Item, it.Average*100, fail)
		}
	}
	return b.String()
}
