package console

import (
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff/live"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
)

// NoticeModel is the screen a desk login gets when the console cannot
// open for it: it says why, in the person's language, and closes on any
// key, so the person reads it instead of seeing the connection drop.
type NoticeModel struct {
	text  string
	hint  string
	width int
}

// Notice shows text and closes on any key.
func Notice(lang, text string) *NoticeModel {
	ct := common.ConsoleText(lang)
	return &NoticeModel{text: fmt.Sprintf(ct.CannotOpen, termsafe.Line(text)), hint: ct.AnyKeyCloses}
}

// SignInRefused explains why the floor refused to seat operator.
func SignInRefused(lang, operator string, err error) *NoticeModel {
	ct := common.ConsoleText(lang)
	if errors.Is(err, live.ErrSignedIn) {
		return &NoticeModel{text: fmt.Sprintf(ct.SignedInElsewhere, termsafe.Line(operator)), hint: ct.AnyKeyCloses}
	}
	return Notice(lang, err.Error())
}

// Init implements tea.Model.
func (n *NoticeModel) Init() tea.Cmd { return nil }

// Update implements tea.Model: any key closes.
func (n *NoticeModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		n.width = msg.Width
	case tea.KeyPressMsg:
		return n, tea.Quit
	}
	return n, nil
}

// View implements tea.Model.
func (n *NoticeModel) View() tea.View {
	w := n.width
	if w <= 0 {
		w = 80
	}
	v := tea.NewView(ansi.Wrap(n.text, w, "") + "\n\n" + ansi.Wrap(n.hint, w, ""))
	v.AltScreen = true
	return v
}
