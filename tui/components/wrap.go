package components

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"
)

// WrapText breaks plain (already sanitised) text into lines of at most
// width cells, at the line-break opportunities of Unicode UAX #14 as
// rivo/uniseg finds them: between words, after hyphens, and between CJK
// characters (but not before 。、）and the like), so Japanese wraps as
// densely as English. A segment wider than a whole line is broken between
// grapheme clusters by ansi.Hardwrap; nothing ever splits a cluster or a
// wide character. Newlines in text are kept as line ends.
func WrapText(text string, width int) []string {
	if width < 1 {
		width = 1
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = append(out, wrapParagraph(para, width)...)
	}
	return out
}

func wrapParagraph(s string, width int) []string {
	if ansi.StringWidth(s) <= width {
		return []string{s}
	}
	var lines []string
	var line strings.Builder
	lineWidth := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(line.String(), " "))
		line.Reset()
		lineWidth = 0
	}
	state := -1
	for len(s) > 0 {
		var seg string
		seg, s, _, state = uniseg.FirstLineSegmentInString(s, state)
		segWidth := ansi.StringWidth(seg)
		// Trailing spaces may hang past the edge: they vanish at a break.
		visible := ansi.StringWidth(strings.TrimRight(seg, " "))
		if lineWidth+visible > width && lineWidth > 0 {
			flush()
		}
		if visible > width {
			// One unbreakable segment wider than a line: break it between
			// clusters; its last piece starts the next line.
			pieces := strings.Split(ansi.Hardwrap(strings.TrimRight(seg, " "), width, true), "\n")
			lines = append(lines, pieces[:len(pieces)-1]...)
			seg = pieces[len(pieces)-1] + seg[len(strings.TrimRight(seg, " ")):]
			segWidth = ansi.StringWidth(seg)
		}
		line.WriteString(seg)
		lineWidth += segWidth
	}
	if line.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}
