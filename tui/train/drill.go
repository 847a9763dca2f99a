package train

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/bot"
	"tsunagu/handoff/training"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
)

// drillPage is the escalation quiz: for each customer message the trainee picks
// answer, clarify or escalate (and, for escalate, why), and sees what the
// real bot decides and why.
type drillPage struct {
	common.NoKeys // the quiz says its keys on screen
	st            *common.Styles
	lang          string
	text          *common.TrainStrings
	d             *training.Drill
	choosing      bool // picking the escalation reason
	last          *training.DrillResult
	width         int
	height        int
}

// The drill's keys are single letters and digits: the quiz has no text input.
var (
	drillAnswer   = key.NewBinding(key.WithKeys("a"))
	drillClarify  = key.NewBinding(key.WithKeys("c"))
	drillEscalate = key.NewBinding(key.WithKeys("e"))
	drillNext     = key.NewBinding(key.WithKeys("enter", "space"))
	drillCancel   = key.NewBinding(key.WithKeys("esc"))
)

// newDrillPage shows a prepared drill.
func newDrillPage(st *common.Styles, lang string, d *training.Drill) drillPage {
	return drillPage{st: st, lang: lang, text: common.TrainText(lang), d: d}
}

// SetStyles applies the theme.
func (p *drillPage) SetStyles(st *common.Styles) { p.st = st }

var _ common.Component = (*drillPage)(nil)

// SetSize sets the view's size.
func (p *drillPage) SetSize(w, h int) { p.width, p.height = w, h }

// Update takes the trainee's choice.
func (p drillPage) Update(msg tea.Msg) (drillPage, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if p.last != nil {
		if key.Matches(k, drillNext) {
			p.last = nil
		}
		return p, nil
	}
	if _, ok := p.d.Current(); !ok {
		return p, nil
	}
	if p.choosing {
		if key.Matches(k, drillCancel) {
			p.choosing = false
			return p, nil
		}
		s := k.String()
		if len(s) == 1 && s[0] >= '1' && int(s[0]-'1') < len(training.Reasons) {
			p.choosing = false
			p.answer(bot.ActionEscalate, training.Reasons[s[0]-'1'])
		}
		return p, nil
	}
	switch {
	case key.Matches(k, drillAnswer):
		p.answer(bot.ActionAnswer, "")
	case key.Matches(k, drillClarify):
		p.answer(bot.ActionClarify, "")
	case key.Matches(k, drillEscalate):
		p.choosing = true
	}
	return p, nil
}

func (p *drillPage) answer(a bot.Action, r bot.Reason) {
	res, err := p.d.Answer(a, r)
	if err == nil {
		p.last = &res
	}
}

func (p drillPage) actionName(a bot.Action) string { return p.text.Actions[string(a)] }

// View renders exactly height rows.
func (p drillPage) View() string {
	w := max(p.width, 1)
	points, maxPoints := p.d.Score()
	head := p.text.DrillTitle
	var rows []string
	q, ok := p.d.Current()
	if p.last != nil {
		q, ok = p.last.Question, true
	}
	if ok {
		head += fmt.Sprintf("  %d/%d", q.Number, p.d.Len())
	}
	rows = append(rows, p.st.Title.Render(head)+"   "+p.st.Muted.Render(fmt.Sprintf(p.text.DrillScore, points, maxPoints)), "")
	if !ok {
		rows = append(rows, p.st.Header.Render(fmt.Sprintf(p.text.DrillFinished, points, maxPoints)), "")
		for _, r := range p.d.Results() {
			mark := p.st.Good.Render("✓")
			if r.Points < r.MaxPoints {
				mark = p.st.Bad.Render("✗")
			}
			exp := p.actionName(r.ExpectedAction)
			if r.ExpectedReason != "" {
				exp += " (" + training.ReasonLabel(r.ExpectedReason, p.lang) + ")"
			}
			rows = append(rows, mark+" "+ansi.Truncate(termsafe.Line(r.Question.Text), max(w/2, 10), "…")+"  → "+exp)
		}
		rows = append(rows, "", p.st.Muted.Render(p.text.DrillQuit))
		return fitRows(rows, w, p.height)
	}
	message := p.text.DrillMessage
	if len(q.Before) > 0 {
		// A multi-turn item: the chat so far, then the message to decide on.
		rows = append(rows, p.text.DrillSoFar)
		for _, b := range q.Before {
			for _, l := range strings.Split(ansi.Wrap("“"+termsafe.Line(b.Customer)+"”", max(w-2, 1), ""), "\n") {
				rows = append(rows, "  "+p.st.Customer.Render(l))
			}
			// One row per bot reply, so the message to decide on stays in view.
			rows = append(rows, "    "+p.st.Muted.Render(ansi.Truncate(p.text.DrillBot+termsafe.Line(b.Bot), max(w-4, 1), "…")))
		}
		message = p.text.DrillThen
	}
	rows = append(rows, message)
	for _, l := range strings.Split(ansi.Wrap("“"+termsafe.Line(q.Text)+"”", max(w-2, 1), ""), "\n") {
		rows = append(rows, "  "+p.st.Customer.Render(l))
	}
	rows = append(rows, "")
	switch {
	case p.last != nil:
		r := p.last
		verdict := p.st.Good.Render(p.text.DrillRight)
		if r.Points < r.MaxPoints {
			exp := p.actionName(r.ExpectedAction)
			if r.ExpectedReason != "" {
				exp += " (" + training.ReasonLabel(r.ExpectedReason, p.lang) + ")"
			}
			verdict = p.st.Bad.Render(p.text.DrillWrong + exp)
		}
		rows = append(rows, verdict+p.st.Muted.Render(fmt.Sprintf("  %d/%d", r.Points, r.MaxPoints)))
		rows = append(rows, strings.Split(ansi.Wrap(termsafe.Text(r.Explanation), w, ""), "\n")...)
		if len(r.Rules) > 0 {
			rows = append(rows, p.st.Muted.Render(ansi.Truncate(p.text.DrillRules+termsafe.Line(strings.Join(r.Rules, ", ")), w, "…")))
		}
		rows = append(rows, "", p.st.Muted.Render(p.text.DrillNext))
	case p.choosing:
		rows = append(rows, p.text.DrillWhy)
		for i, r := range training.Reasons {
			rows = append(rows, fmt.Sprintf("  %d %s", i+1, training.ReasonLabel(r, p.lang)))
		}
		rows = append(rows, "", p.st.Muted.Render(p.text.DrillBack))
	default:
		rows = append(rows, p.text.DrillAsk, "",
			"  a "+p.actionName(bot.ActionAnswer), "  c "+p.actionName(bot.ActionClarify), "  e "+p.actionName(bot.ActionEscalate)+p.text.DrillThenWhy)
	}
	return fitRows(rows, w, p.height)
}
