package components

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"tsunagu/bot"
	"tsunagu/handoff"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
)

// Receipt renders the handoff packet as the customer sees it: exactly what
// the operator receives (reason, summary, facts, the bot's decisions and the
// transcript size). p may be nil before any handoff.
func Receipt(st *common.Styles, t *common.Strings, p *handoff.Packet, lang string, width, height int) string {
	var rows []string
	if p == nil {
		rows = append(rows, t.ReceiptNone)
	} else {
		reason := termsafe.Line(string(p.Reason))
		if r, ok := t.Reasons[reason]; ok {
			reason += " — " + r
		}
		rows = append(rows, st.PanelHead.Render(t.ReceiptReason)+": "+reason)
		summary := p.Summary[lang]
		if summary == "" {
			summary = p.Summary["en"]
		}
		rows = append(rows, st.PanelHead.Render(t.ReceiptSummary)+": "+termsafe.Line(summary))
		rows = append(rows, st.PanelHead.Render(t.ReceiptFacts)+":")
		for _, kv := range packetFacts(p) {
			rows = append(rows, "  "+kv)
		}
		if len(p.Decisions) > 0 {
			rows = append(rows, st.PanelHead.Render(t.ReceiptDecisions)+":")
			for _, d := range p.Decisions {
				rows = append(rows, termsafe.Line(fmt.Sprintf("  #%d %s %s %.2f %s", d.Turn, d.Action, d.Intent, d.Confidence, d.Reason)))
			}
		}
		rows = append(rows, fmt.Sprintf("%s: %d", st.PanelHead.Render(t.ReceiptLines), len(p.Transcript)))
	}
	return panel(st, t.ReceiptTitle, rows, width, height)
}

func packetFacts(p *handoff.Packet) []string {
	f := p.Facts
	var out []string
	add := func(k, v string) {
		if v != "" {
			out = append(out, k+": "+termsafe.Line(v))
		}
	}
	add("customer", f.Customer.Name)
	if f.Order != nil {
		add("order", f.Order.ID)
		add("items", strings.Join(f.Order.Items, ", "))
		add("date", f.Order.Date)
		add("status", f.Order.Status)
	}
	add("topic", strings.Trim(f.Topic.Category+"/"+f.Topic.Subtopic, "/"))
	add("intent", f.Topic.Intent)
	keys := make([]string, 0, len(f.Slots))
	for k := range f.Slots {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		add(k, f.Slots[k])
	}
	return out
}

// Why renders the bot's explanation of its last decision. d may be nil.
func Why(st *common.Styles, t *common.Strings, d *bot.Decision, width, height int) string {
	var rows []string
	if d == nil {
		rows = append(rows, t.WhyNone)
	} else {
		intent := termsafe.Line(d.Intent)
		if intent == "" {
			intent = "—"
		}
		rows = append(rows,
			st.PanelHead.Render(t.WhyIntent)+": "+intent,
			st.PanelHead.Render(t.WhyConfidence)+": "+fmt.Sprintf("%.2f", d.Confidence),
			st.PanelHead.Render(t.WhyAction)+": "+termsafe.Line(string(d.Action)))
		if d.Reason != "" {
			rows = append(rows, st.PanelHead.Render(t.WhyReason)+": "+termsafe.Line(string(d.Reason)))
		}
		if len(d.Explanation.Rules) > 0 {
			rows = append(rows, st.PanelHead.Render(t.WhyRules)+": "+termsafe.Line(strings.Join(d.Explanation.Rules, ", ")))
		}
		if d.Explanation.Note != "" {
			rows = append(rows, st.PanelHead.Render(t.WhyNote)+": "+termsafe.Line(d.Explanation.Note))
		}
		for i, c := range d.Candidates {
			if i == 3 {
				break
			}
			rows = append(rows, fmt.Sprintf("  %d. %s %.2f", i+1, termsafe.Line(c.Intent), c.Score))
		}
	}
	return panel(st, t.WhyTitle, rows, width, height)
}

// Panel draws a titled side panel of rows (the history's list of the bot's
// decisions) in the same bordered box as the receipt and "why?" panels:
// exactly width×height, every row wrapped and cut to fit. Rows must already
// be sanitised.
func Panel(st *common.Styles, title string, rows []string, width, height int) string {
	return panel(st, title, rows, width, height)
}

// panel draws a bordered box of exactly width×height (when there is room).
// Every row is sanitised and wrapped, then cut to fit.
func panel(st *common.Styles, title string, rows []string, width, height int) string {
	inner := width - 4 // border and padding
	if inner < 1 || height < 3 {
		return ""
	}
	var lines []string
	lines = append(lines, st.PanelHead.Render(ansi.Truncate(title, inner, "…")))
	for _, r := range rows {
		// ansi.Wrap, as the history screen's goldens were recorded with;
		// cut to be sure no row is wider than the panel.
		for _, l := range strings.Split(ansi.Wrap(r, inner, ""), "\n") {
			lines = append(lines, ansi.Truncate(l, inner, ""))
		}
	}
	if max := height - 2; len(lines) > max {
		lines = lines[:max]
	}
	return st.Panel.Width(width).Height(height).Render(strings.Join(lines, "\n"))
}
