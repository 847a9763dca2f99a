package train

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff/training"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
)

// againMsg asks for the scenario list again.
type againMsg struct{}

// scorePage shows the graded session: total, outcome, and every item with
// its reason and the trainee's line it rests on.
type scorePage struct {
	st     *common.Styles
	keys   common.TrainKeys
	lang   string
	text   *common.TrainStrings
	card   training.Scorecard
	saved  string // "saved as session N" or why not
	help   help.Model
	offset int
	width  int
	height int
}

// newScorePage shows card.
func newScorePage(st *common.Styles, keys common.TrainKeys, card training.Scorecard) scorePage {
	return scorePage{st: st, keys: keys, lang: card.Lang, text: common.TrainText(card.Lang), card: card, help: help.New()}
}

// SetSaved records where the scorecard was stored (or why it was not).
func (c *scorePage) SetSaved(s string) { c.saved = s }

// SetStyles applies the theme.
func (c *scorePage) SetStyles(st *common.Styles, isDark bool) {
	c.st = st
	c.help.Styles = help.DefaultStyles(isDark)
	if st.NoColor {
		c.help.Styles = help.Styles{}
	}
}

var _ common.Component = (*scorePage)(nil)

// ShortHelp implements help.KeyMap; the page shows it below the items.
func (c *scorePage) ShortHelp() []key.Binding {
	return []key.Binding{c.keys.Up, c.keys.Down, c.keys.Again, c.keys.Quit}
}

// FullHelp implements help.KeyMap.
func (c *scorePage) FullHelp() [][]key.Binding { return [][]key.Binding{c.ShortHelp()} }

// SetSize sets the view's size.
func (c *scorePage) SetSize(w, h int) {
	c.width, c.height = w, h
	c.help.SetWidth(w)
}

// Update scrolls and returns to the list.
func (c scorePage) Update(msg tea.Msg) (scorePage, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return c, nil
	}
	switch {
	case key.Matches(k, c.keys.Up), key.Matches(k, c.keys.ScrollUp):
		c.offset = max(0, c.offset-1)
	case key.Matches(k, c.keys.Down), key.Matches(k, c.keys.ScrollDown):
		c.offset++
	case key.Matches(k, c.keys.Again):
		return c, func() tea.Msg { return againMsg{} }
	}
	return c, nil
}

const labelWidth = 30

// View renders exactly height rows.
func (c scorePage) View() string {
	w, h := c.width, c.height
	card := c.card
	head := []string{c.st.Title.Render(ansi.Truncate(c.text.ScoreTitle+termsafe.Line(card.Title), w, "…"))}
	total := fmt.Sprintf("%s %.1f / 100", c.text.Score, card.Total)
	totalStyle := c.st.Good
	if card.CriticalFailed {
		totalStyle = c.st.Bad
		total += fmt.Sprintf(c.text.CriticalFailed, card.Weighted)
	} else if card.Total < 70 {
		totalStyle = c.st.Notice
	}
	head = append(head, totalStyle.Render(total)+"   "+
		c.st.Muted.Render(training.OutcomeText(card.Outcome, card.Resolved, c.lang)+fmt.Sprintf(c.text.ScoreMood, card.Mood)), "")

	var body []string
	whyWidth := max(w-labelWidth-12, 10)
	for _, it := range card.Items {
		score := fmt.Sprintf("%4.1f/%-3d", it.Points, it.Weight)
		st := c.st.Item
		if it.Critical {
			score, st = c.text.Pass, c.st.Good
			if it.Failed {
				score, st = c.text.Fail, c.st.Bad
			}
		} else if it.Score < 0.5 {
			st = c.st.Bad
		}
		label := it.Item.Label(c.lang)
		pad := max(labelWidth-lipgloss.Width(label), 1)
		why := strings.Split(ansi.Wrap(termsafe.Line(it.Why), whyWidth, ""), "\n")
		body = append(body, st.Render(score)+" "+label+strings.Repeat(" ", pad)+" "+why[0])
		indent := strings.Repeat(" ", 9+labelWidth+1)
		for _, l := range why[1:] {
			body = append(body, indent+l)
		}
		if it.Quote != "" {
			body = append(body, indent+c.st.Muted.Render(ansi.Truncate("“"+termsafe.Line(it.Quote)+"”", max(w-len(indent), 1), "…")))
		}
	}
	footer := []string{}
	if c.saved != "" {
		footer = append(footer, c.st.Muted.Render(ansi.Truncate(termsafe.Line(c.saved), w, "…")))
	}
	footer = append(footer, c.help.ShortHelpView(c.ShortHelp()))

	room := max(h-len(head)-len(footer), 0)
	off := min(c.offset, max(len(body)-room, 0))
	body = body[off:]
	if len(body) > room {
		body = body[:room]
	}
	for len(body) < room {
		body = append(body, "")
	}
	rows := append(append(head, body...), footer...)
	return fitRows(rows, w, h)
}
