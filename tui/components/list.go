package components

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
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

// ChoiceList is a keyboard-driven list: arrows move, Enter chooses, digits
// 1-9 choose directly when asked to.
type ChoiceList struct {
	Items  []string
	Cursor int
}

func (l *ChoiceList) move(d int) {
	if len(l.Items) == 0 {
		l.Cursor = 0
		return
	}
	l.Cursor = (l.Cursor + d + len(l.Items)) % len(l.Items)
}

// Update handles list keys and reports whether Enter (or a digit) chose.
func (l *ChoiceList) Update(k tea.KeyPressMsg, keys common.ListKeys, digits bool) bool {
	switch {
	case key.Matches(k, keys.Up):
		l.move(-1)
	case key.Matches(k, keys.Down):
		l.move(1)
	case key.Matches(k, keys.Choose):
		return len(l.Items) > 0
	case digits && len(k.Text) == 1 && k.Text[0] >= '1' && k.Text[0] <= '9':
		if n := int(k.Text[0] - '1'); n < len(l.Items) {
			l.Cursor = n
			return true
		}
	}
	return false
}

// View renders at most height rows, keeping the cursor visible.
func (l *ChoiceList) View(st *common.Styles, width, height int) string {
	return ListWindow(st, l.Items, l.Cursor, width, height)
}
