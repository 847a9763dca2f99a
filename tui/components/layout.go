package components

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Side panels (the receipt, "why?", the history's packet and decisions) sit
// beside the transcript from SidePanelMin columns, SidePanelWidth wide;
// narrower terminals show them over it.
const (
	SidePanelMin   = 100
	SidePanelWidth = 42
)

// Fit cuts s to at most width columns per line and height lines.
func Fit(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	return strings.Join(lines, "\n")
}

// FitHeight pads or cuts s to exactly h lines.
func FitHeight(s string, h int) string {
	if h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// JoinColumns puts right beside left, padding left to leftWidth.
func JoinColumns(left, right string, leftWidth, height int) string {
	l := strings.Split(FitHeight(left, height), "\n")
	r := strings.Split(FitHeight(right, height), "\n")
	for i := range l {
		pad := leftWidth - ansi.StringWidth(l[i])
		if pad < 0 {
			l[i] = ansi.Truncate(l[i], leftWidth, "")
			pad = 0
		}
		l[i] += strings.Repeat(" ", pad) + r[i]
	}
	return strings.Join(l, "\n")
}
