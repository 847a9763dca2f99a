package chat

import (
	"fmt"
	"strings"
	"tsunagu/tui/common"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// RatedMsg carries the optional ratings (0 = not rated). Esc reports
// common.BackMsg.
type RatedMsg struct{ Bot, Operator int }

var _ common.Component = (*Rate)(nil)

// Rate asks for optional 1-5 ratings of the bot stage and, when an
// operator took part, of the operator stage.
type Rate struct {
	common.Choice
	e             common.Env
	rows          int
	cursor        int
	ratings       [2]int
	width, height int
}

// NewRate asks for the bot's rating, and the operator's when one took part.
func NewRate(e common.Env, hadOperator bool) Rate {
	p := Rate{e: e, rows: 1}
	if hadOperator {
		p.rows = 2
	}
	return p
}

// SetSize implements common.Component.
func (p *Rate) SetSize(w, h int) { p.width, p.height = w, h }

// SetStyles applies a new theme.
func (p *Rate) SetStyles(st *common.Styles) { p.e.Styles = st }

// ShortHelp implements help.KeyMap.
func (p *Rate) ShortHelp() []key.Binding { return p.keyMap().ShortHelp() }

// FullHelp implements help.KeyMap.
func (p *Rate) FullHelp() [][]key.Binding { return p.keyMap().FullHelp() }

func (p *Rate) keyMap() common.KeyMap {
	g, l := p.e.Keys.Global, p.e.Keys.List
	return common.KeyMap{Short: []key.Binding{l.Up, l.Down, l.Choose, g.Back, g.Help, g.Quit}}
}

// Update moves between the rows, takes 0-5 and reports RatedMsg.
func (p Rate) Update(msg tea.Msg) (Rate, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	switch {
	case key.Matches(k, p.e.Keys.Global.Back):
		p.Report(common.BackMsg{})
		return p, nil
	case key.Matches(k, p.e.Keys.List.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(k, p.e.Keys.List.Down):
		p.cursor = min(p.cursor+1, p.rows-1)
	case key.Matches(k, p.e.Keys.List.Choose):
		if p.cursor < p.rows-1 {
			p.cursor++
			return p, nil
		}
		p.Report(RatedMsg{Bot: p.ratings[0], Operator: p.ratings[1]})
		return p, nil
	case len(k.Text) == 1 && k.Text[0] >= '0' && k.Text[0] <= '5':
		p.ratings[p.cursor] = int(k.Text[0] - '0')
	}
	return p, nil
}

// View implements common.Component.
func (p Rate) View() string {
	t := p.e.Text
	rows := []string{p.e.Styles.Header.Render(t.RateTitle), ""}
	labels := []string{t.RateBot, t.RateOperator}
	for i := range p.rows {
		stars := strings.Repeat("★", p.ratings[i]) + strings.Repeat("☆", 5-p.ratings[i])
		row := fmt.Sprintf("%s  %s", stars, labels[i])
		if i == p.cursor {
			row = p.e.Styles.Selected.Render("› " + row)
		} else {
			row = "  " + row
		}
		rows = append(rows, row)
	}
	rows = append(rows, "", p.e.Styles.Muted.Render(t.RateHint))
	return strings.Join(rows, "\n")
}
