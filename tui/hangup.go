package tui

import (
	"fmt"
	"slices"

	"tsunagu/transcripts"
)

// Hangup ends the app's conversations when its terminal went away without
// a quit (a dropped SSH connection, a server shutting down): an open
// conversation is kept as abandoned, as on quit, its desk lets go of it,
// and what the store never took goes to a recovery file. It returns what
// happened, for a log ("" when nothing). Call it only once the program has
// ended: it reads the model without Update.
func (m *Model) Hangup() string {
	convs := slices.Clone(m.convs)
	var unsaved []transcripts.Conversation
	for _, c := range convs {
		c.Abandon() // does nothing to a closed conversation
		c.Retry()
		if u, ok := c.Unsaved(); ok {
			unsaved = append(unsaved, u)
		}
	}
	if len(unsaved) == 0 {
		return ""
	}
	n := 0
	for _, u := range unsaved {
		n += len(u.Entries)
	}
	path, err := transcripts.WriteRecoveryFile(m.cfg.RecoveryDir, m.now(), unsaved...)
	if err != nil {
		return fmt.Sprintf("%d lines were not stored and could not be written to a recovery file: %v", n, err)
	}
	return fmt.Sprintf("%d lines were not stored; they are in %s (tsunagu history import %s)", n, path, path)
}
