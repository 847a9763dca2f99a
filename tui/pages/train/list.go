package train

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff/training"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
)

// List is the scenario picker.
type List struct {
	st        *common.Styles
	keys      Keys
	lang      string
	scenarios []*training.Scenario
	cursor    int
	width     int
	height    int
}

// ChosenMsg says the trainee picked a scenario.
type ChosenMsg struct{ Scenario *training.Scenario }

// NewList lists the scenarios.
func NewList(st *common.Styles, keys Keys, lang string, scenarios []*training.Scenario) List {
	return List{st: st, keys: keys, lang: lang, scenarios: scenarios}
}

// SetStyles applies the theme.
func (l *List) SetStyles(st *common.Styles) { l.st = st }

// SetSize sets the view's size.
func (l *List) SetSize(w, h int) { l.width, l.height = w, h }

// Update moves the cursor and picks.
func (l List) Update(msg tea.Msg) (List, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || len(l.scenarios) == 0 {
		return l, nil
	}
	switch {
	case key.Matches(k, l.keys.Up):
		l.cursor = max(0, l.cursor-1)
	case key.Matches(k, l.keys.Down):
		l.cursor = min(len(l.scenarios)-1, l.cursor+1)
	case key.Matches(k, l.keys.Choose):
		sc := l.scenarios[l.cursor]
		return l, func() tea.Msg { return ChosenMsg{Scenario: sc} }
	}
	return l, nil
}

// View renders the list.
func (l List) View() string {
	var b strings.Builder
	b.WriteString(l.st.Title.Render(tr(l.lang, "Trainee mode: pick a scenario", "研修モード：シナリオを選んでください")) + "\n\n")
	for i, s := range l.scenarios {
		line := fmt.Sprintf("%-26s %-11s %s", termsafe.Line(s.ID), training.PersonaName(s.Persona, l.lang), termsafe.Line(s.TitleIn(l.lang)))
		line = ansi.Truncate(line, max(l.width-2, 1), "…")
		if i == l.cursor {
			b.WriteString(l.st.Selected.Render("▸ "+line) + "\n")
		} else {
			b.WriteString("  " + l.st.Item.Render(line) + "\n")
		}
	}
	return b.String()
}

func tr(lang, en, ja string) string {
	if lang == "ja" {
		return ja
	}
	return en
}
