package train

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"tsunagu/handoff/training"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

// listPage is the scenario picker.
type listPage struct {
	st        *common.Styles
	keys      common.TrainKeys
	lang      string
	scenarios []*training.Scenario
	cursor    int
	width     int
	height    int
}

// chosenMsg says the trainee picked a scenario.
type chosenMsg struct{ Scenario *training.Scenario }

// newListPage lists the scenarios.
func newListPage(st *common.Styles, keys common.TrainKeys, lang string, scenarios []*training.Scenario) listPage {
	return listPage{st: st, keys: keys, lang: lang, scenarios: scenarios}
}

// SetStyles applies the theme.
func (l *listPage) SetStyles(st *common.Styles) { l.st = st }

var _ common.Component = (*listPage)(nil)

// SetSize sets the view's size.
func (l *listPage) SetSize(w, h int) { l.width, l.height = w, h }

// ShortHelp implements help.KeyMap.
func (l *listPage) ShortHelp() []key.Binding {
	return []key.Binding{l.keys.Up, l.keys.Down, l.keys.Choose, l.keys.Quit}
}

// FullHelp implements help.KeyMap.
func (l *listPage) FullHelp() [][]key.Binding { return [][]key.Binding{l.ShortHelp()} }

// Update moves the cursor and picks.
func (l listPage) Update(msg tea.Msg) (listPage, tea.Cmd) {
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
		return l, func() tea.Msg { return chosenMsg{Scenario: sc} }
	}
	return l, nil
}

// View renders the title and as many scenarios as fit, scrolled to keep
// the cursor visible.
func (l listPage) View() string {
	items := make([]string, len(l.scenarios))
	for i, s := range l.scenarios {
		items[i] = fmt.Sprintf("%-26s %-11s %s", termsafe.Line(s.ID), training.PersonaName(s.Persona, l.lang), termsafe.Line(s.TitleIn(l.lang)))
	}
	title := l.st.Title.Render(common.TrainText(l.lang).Pick)
	return title + "\n\n" + components.ListWindow(l.st, items, l.cursor, l.width, l.height-2)
}
