package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// ratedMsg carries the optional ratings (0 = not rated).
type ratedMsg struct{ bot, operator int }

// ratePage asks for optional 1-5 ratings of the bot stage and, when an
// operator took part, of the operator stage.
type ratePage struct {
	e             env
	out           tea.Msg
	rows          int
	cursor        int
	ratings       [2]int
	width, height int
}

func newRatePage(e env, hadOperator bool) ratePage {
	p := ratePage{e: e, rows: 1}
	if hadOperator {
		p.rows = 2
	}
	return p
}

func (p *ratePage) SetSize(w, h int) { p.width, p.height = w, h }

func (p ratePage) Update(msg tea.Msg) (ratePage, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	switch {
	case key.Matches(k, p.e.keys.Global.Back):
		p.out = rateBackMsg{}
		return p, nil
	case key.Matches(k, p.e.keys.List.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(k, p.e.keys.List.Down):
		p.cursor = min(p.cursor+1, p.rows-1)
	case key.Matches(k, p.e.keys.List.Choose):
		if p.cursor < p.rows-1 {
			p.cursor++
			return p, nil
		}
		p.out = ratedMsg{bot: p.ratings[0], operator: p.ratings[1]}
		return p, nil
	case len(k.Text) == 1 && k.Text[0] >= '0' && k.Text[0] <= '5':
		p.ratings[p.cursor] = int(k.Text[0] - '0')
	}
	return p, nil
}

type rateBackMsg struct{}

func (p ratePage) View() string {
	t := p.e.text
	rows := []string{p.e.st.Header.Render(t.RateTitle), ""}
	labels := []string{t.RateBot, t.RateOperator}
	for i := range p.rows {
		stars := strings.Repeat("★", p.ratings[i]) + strings.Repeat("☆", 5-p.ratings[i])
		row := fmt.Sprintf("%s  %s", stars, labels[i])
		if i == p.cursor {
			row = p.e.st.Selected.Render("› " + row)
		} else {
			row = "  " + row
		}
		rows = append(rows, row)
	}
	rows = append(rows, "", p.e.st.Muted.Render(t.RateHint))
	return strings.Join(rows, "\n")
}
