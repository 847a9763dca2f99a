package common

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
)

// Component is the contract every screen and widget of the three apps
// satisfies, after soft-serve's common.Component: it is told its size, draws
// itself as a string no larger than that, and names its keys for the help
// bar (a widget with no keys of its own returns none). Components that take
// input also have Update(tea.Msg) (T, tea.Cmd), returning their own type as
// the bubbles do. Only an app's root model builds the tea.View (alternate
// screen, window title, cursor).
type Component interface {
	help.KeyMap
	SetSize(width, height int)
	View() string
}

// KeyMap is a help.KeyMap from two lists of bindings: the short help, and
// what the full help adds below it.
type KeyMap struct{ Short, Extra []key.Binding }

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return k.Short }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	if len(k.Extra) == 0 {
		return [][]key.Binding{k.Short}
	}
	return [][]key.Binding{k.Short, k.Extra}
}

// NoKeys is embedded by widgets that have no keys of their own.
type NoKeys struct{}

// ShortHelp implements help.KeyMap.
func (NoKeys) ShortHelp() []key.Binding { return nil }

// FullHelp implements help.KeyMap.
func (NoKeys) FullHelp() [][]key.Binding { return nil }

// BackMsg is what a screen reports when the customer asks to go one step
// back (Esc); the root decides where that is.
type BackMsg struct{}

// The smallest terminal the apps draw on; below it they show "terminal too
// small".
const (
	MinWidth  = 24
	MinHeight = 8
)

// OneLine is an error's text on one line, for a status or notice.
func OneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// HelpView is the help bar of an app's root for km: the short help, or the
// full help when full is set (the "?" key).
func HelpView(h help.Model, km help.KeyMap, full bool) string {
	if full {
		return h.FullHelpView(km.FullHelp())
	}
	return h.ShortHelpView(km.ShortHelp())
}
