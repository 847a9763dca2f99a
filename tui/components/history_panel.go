package components

import "tsunagu/tui/common"

// HistoryPanel draws the history screen's side panels (the bot's decisions)
// in the same bordered box as the receipt and "why?" panels: exactly
// width×height, every row wrapped and cut to fit. Rows must already be
// sanitised.
func HistoryPanel(st *common.Styles, title string, rows []string, width, height int) string {
	return panel(st, title, rows, width, height)
}

// RevealMessage scrolls so that message i starts on the top row (or, near
// the end, is visible with the last line at the bottom). The history screen
// uses it to open a conversation at its start and to jump between hits.
func (t *Transcript) RevealMessage(i int) {
	if len(t.msgs) == 0 || t.height <= 0 {
		return
	}
	i = min(max(i, 0), len(t.msgs)-1)
	t.follow, t.unread = false, false
	t.anchorMsg, t.anchorLine = i, 0
	t.forward(t.height - 1)
}
