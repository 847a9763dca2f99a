package common

import (
	tea "charm.land/bubbletea/v2"

	"tsunagu/bot/profile"
)

// Env is what the customer app's screens read: the theme, the strings and
// keys in the UI language, and the signed-in customer's profile. The root
// builds it and hands a new theme to every screen.
type Env struct {
	Styles  *Styles
	Text    *Strings
	Keys    Keys
	Lang    string
	Profile *profile.Profile
	// Served: the app is served to a stranger over SSH (tsunagu serve). The
	// store holds other people's conversations, so nothing offers the
	// history, and the closing screen names no command to run.
	Served bool
}

// Choice is where a screen leaves what it reports to the root (a choice, a
// request to go back). The root takes it right after the screen's Update
// and handles it in the same Update, so a key typed quickly after Enter goes
// to the next screen, never the old one. Screens embed it.
type Choice struct{ msg tea.Msg }

// Report leaves msg for the root.
func (c *Choice) Report(msg tea.Msg) { c.msg = msg }

// Pending reports that something waits to be taken.
func (c *Choice) Pending() bool { return c.msg != nil }

// Take returns what the screen reported, if anything, and forgets it.
func (c *Choice) Take() tea.Msg {
	msg := c.msg
	c.msg = nil
	return msg
}
