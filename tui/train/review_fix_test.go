package train

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// R6: a reply the session refuses stays in the input, with the reason.
func TestRefusedReplyKeepsTheText(t *testing.T) {
	p := newPage(t, "hijacked-account", "en")
	if err := p.s.Close(); err != nil {
		t.Fatal(err)
	}
	p = typeText(p, "sorry for the wait")
	p, _ = p.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if got := p.input.Value(); got != "sorry for the wait" {
		t.Fatalf("input after a refused reply = %q", got)
	}
	if p.notice == "" {
		t.Fatal("no notice says why the reply was refused")
	}
}
