package common

import (
	"charm.land/lipgloss/v2"
)

// Styles are every style of the customer app, built once per theme. They are
// all here so a theme change is one call to NewStyles.
type Styles struct {
	IsDark  bool
	NoColor bool

	Title     lipgloss.Style
	Header    lipgloss.Style
	Status    lipgloss.Style
	Muted     lipgloss.Style
	Selected  lipgloss.Style
	Item      lipgloss.Style
	Good      lipgloss.Style
	Bad       lipgloss.Style
	Notice    lipgloss.Style
	Panel     lipgloss.Style
	PanelHead lipgloss.Style

	// Transcript speakers. The label style comes from the message's role,
	// never from its text.
	Customer lipgloss.Style
	BotLabel lipgloss.Style
	Operator lipgloss.Style
	Event    lipgloss.Style
	Time     lipgloss.Style
}

// NewStyles builds the styles for a dark or light background. With noColor
// (NO_COLOR set) styles keep only bold and reverse, which carry meaning
// without colour.
func NewStyles(isDark, noColor bool) *Styles {
	s := &Styles{IsDark: isDark, NoColor: noColor}
	if noColor {
		plain := lipgloss.NewStyle()
		s.Title = plain.Bold(true)
		s.Header = plain.Bold(true)
		s.Status = plain
		s.Muted = plain
		s.Selected = plain.Reverse(true)
		s.Item = plain
		s.Good, s.Bad, s.Notice = plain, plain.Bold(true), plain.Bold(true)
		s.Panel = plain.Border(lipgloss.NormalBorder()).Padding(0, 1)
		s.PanelHead = plain.Bold(true)
		s.Customer, s.BotLabel, s.Operator = plain.Bold(true), plain.Bold(true), plain.Bold(true)
		s.Event, s.Time = plain, plain
		return s
	}
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B9A8FF"))
	muted := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#9A9A9A"))
	green := ld(lipgloss.Color("#1B7F3B"), lipgloss.Color("#6BD88E"))
	red := ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF8A80"))
	amber := ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#FFCC66"))
	teal := ld(lipgloss.Color("#006A6A"), lipgloss.Color("#6FE0E0"))
	selBg := ld(lipgloss.Color("#E4DCFF"), lipgloss.Color("#3B2F6B"))

	s.Title = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Header = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Status = lipgloss.NewStyle().Foreground(amber)
	s.Muted = lipgloss.NewStyle().Foreground(muted)
	s.Selected = lipgloss.NewStyle().Bold(true).Background(selBg)
	s.Item = lipgloss.NewStyle()
	s.Good = lipgloss.NewStyle().Foreground(green)
	s.Bad = lipgloss.NewStyle().Foreground(red)
	s.Notice = lipgloss.NewStyle().Foreground(amber)
	s.Panel = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(muted).Padding(0, 1)
	s.PanelHead = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Customer = lipgloss.NewStyle().Bold(true).Foreground(green)
	s.BotLabel = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Operator = lipgloss.NewStyle().Bold(true).Foreground(teal)
	s.Event = lipgloss.NewStyle().Foreground(muted).Italic(true)
	s.Time = lipgloss.NewStyle().Foreground(muted)
	return s
}

// HistoryHit is how the history browser marks search hits: reverse video,
// which shows without colour too, plus the theme's accent when colour is on.
func HistoryHit(s *Styles) lipgloss.Style {
	if s.NoColor {
		return lipgloss.NewStyle().Reverse(true)
	}
	return lipgloss.NewStyle().Reverse(true).Bold(true).Foreground(s.Status.GetForeground())
}
