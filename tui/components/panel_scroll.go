package components

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"tsunagu/tui/common"
)

// ScrollPanel is Panel with its rows scrolled: the title stays on top and
// the wrapped rows are shown from line top, so a panel taller than the
// screen can be read to its end. The title gains ↑ when lines are hidden
// above and ↓ when some are hidden below. It returns the panel and the
// largest useful top (0 when every line fits); a top beyond it is shown as
// that largest one.
func ScrollPanel(st *common.Styles, title string, rows []string, width, height, top int) (string, int) {
	inner := width - 4 // border and padding
	if inner < 1 || height < 3 {
		return "", 0
	}
	var lines []string
	for _, r := range rows {
		for _, l := range strings.Split(ansi.Wrap(r, inner, ""), "\n") {
			lines = append(lines, ansi.Truncate(l, inner, ""))
		}
	}
	room := max(height-3, 0) // border top and bottom, and the title
	maxTop := max(len(lines)-room, 0)
	top = min(max(top, 0), maxTop)
	marks := ""
	if top > 0 {
		marks += "↑"
	}
	if top < maxTop {
		marks += "↓"
	}
	head := title
	if marks != "" {
		head = ansi.Truncate(title, max(inner-len([]rune(marks))-1, 0), "…") + " " + marks
	}
	shown := lines[top:min(top+room, len(lines))]
	out := append([]string{st.PanelHead.Render(ansi.Truncate(head, inner, "…"))}, shown...)
	return st.Panel.Width(width).Height(height).Render(strings.Join(out, "\n")), maxTop
}
