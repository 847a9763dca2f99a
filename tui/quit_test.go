package tui

import (
	"os"
	"strings"
	"testing"
)

// Issue 14: quitting with entries the store has not taken says how many
// wait; Ctrl+C again quits at once and keeps them in a recovery file that
// `history import` takes, and the app says where after it ends.
func TestQuitKeepsUnsavedEntriesInARecoveryFile(t *testing.T) {
	base := newHarness(t, harnessOpts{})
	fs := &failingStore{Store: base.store}
	h := newHarness(t, harnessOpts{store: fs})
	h.store = base.store
	h.m.cfg.RecoveryDir = t.TempDir()
	h.startChat()
	fs.failing = true
	h.typeText("please keep this")
	h.enter()
	h.ctrl('c')
	if h.quit {
		t.Fatal("quit with entries waiting for the store")
	}
	h.mustShow("wait for the store", "recovery file")
	h.ctrl('c')
	if !h.quit {
		t.Fatal("Ctrl+C twice did not quit")
	}
	bye := h.m.Farewell()
	if !strings.Contains(bye, "tsunagu history import") || !strings.Contains(bye, h.m.sess.id) {
		t.Fatalf("farewell = %q", bye)
	}
	entries, err := os.ReadDir(h.m.cfg.RecoveryDir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("recovery folder: %v, %v", entries, err)
	}
	f, err := os.Open(h.m.cfg.RecoveryDir + "/" + entries[0].Name())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := base.store.Import(f)
	if err != nil || rep.Imported != 1 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	found := false
	for _, id := range []string{h.m.sess.id, h.m.sess.id + "-recovered"} {
		if c, err := base.store.Load(id); err == nil {
			for _, e := range c.Entries {
				found = found || e.Text == "please keep this"
			}
		}
	}
	if !found {
		t.Fatal("the unsaved message is not in the recovered conversation")
	}
}

// Issue 15: Ctrl+C on an unfinished chat says, after the app, which
// conversation was kept.
func TestQuitNamesTheKeptConversation(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.typeText("hello")
	h.enter()
	h.ctrl('c')
	if !h.quit {
		t.Fatal("did not quit")
	}
	if bye := h.m.Farewell(); !strings.Contains(bye, "tsunagu history show "+h.m.sess.id) {
		t.Fatalf("farewell = %q", bye)
	}
}
