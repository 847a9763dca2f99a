package common

import "charm.land/lipgloss/v2"

// HistoryHit is how the history browser marks search hits: reverse video,
// which shows without colour too, plus the theme's accent when colour is on.
func HistoryHit(s *Styles) lipgloss.Style {
	if s.NoColor {
		return lipgloss.NewStyle().Reverse(true)
	}
	return lipgloss.NewStyle().Reverse(true).Bold(true).Foreground(s.Status.GetForeground())
}
