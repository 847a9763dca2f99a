package components

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"tsunagu/tui/common"
)

// ListWindow renders at most height rows of items, scrolled so the cursor
// row is visible, each cut to width with the cursor row marked. The
// contact flow's lists and the trainee's scenario list share it.
func ListWindow(st *common.Styles, items []string, cursor, width, height int) string {
	if height <= 0 {
		return ""
	}
	first := 0
	if cursor >= height {
		first = cursor - height + 1
	}
	var rows []string
	for i := first; i < len(items) && len(rows) < height; i++ {
		row := ansi.Truncate(items[i], max(width-2, 1), "…")
		if i == cursor {
			rows = append(rows, st.Selected.Render("› "+row))
		} else {
			rows = append(rows, "  "+st.Item.Render(row))
		}
	}
	return strings.Join(rows, "\n")
}
