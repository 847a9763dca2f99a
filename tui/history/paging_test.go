package history

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// The list pages through the store instead of loading it: only a few pages
// stay in memory around the selection, pages are fetched by cursor as the
// selection moves (and fetched again after being dropped), and every row
// shown is the right one.
func TestHistoryPagingKeepsAWindow(t *testing.T) {
	const n, pageSize = 1000, 50
	s, _ := historyFixtureStore(t, historyMany(n))
	st := &historyCountingStore{Store: s}
	hh := newHarness(t, harnessOpts{lang: "en", store: st, width: 100, height: 24, pageSize: pageSize})
	l := &hh.h.list
	wantRow := func(i int) string { return fmt.Sprintf("c%05d", n-1-i) } // newest first

	check := func() {
		t.Helper()
		row, ok := l.current()
		if !ok || row.ID != wantRow(l.sel) {
			t.Fatalf("row %d is %q (loaded %v), want %s", l.sel, row.ID, ok, wantRow(l.sel))
		}
		if len(l.pages) > 2*keepPages+2 {
			t.Fatalf("%d pages held in memory, want at most %d", len(l.pages), 2*keepPages+2)
		}
	}
	// The count is open-ended until the last page has been seen.
	if l.complete || l.known >= n {
		t.Fatalf("the first frame fetched %d rows (complete %v)", l.known, l.complete)
	}
	hh.mustShow(fmt.Sprintf("%d+ conversations", l.known))
	for range 30 {
		hh.press(tea.KeyPgDown, 0)
		hh.flush()
		check()
	}
	if l.sel < 500 || l.complete {
		t.Fatalf("after 30 PgDn: row %d, complete %v", l.sel, l.complete)
	}
	hh.press(tea.KeyHome, 0)
	hh.flush()
	check()
	if l.sel != 0 {
		t.Fatal("home did not go to the first row")
	}
	for range 200 {
		hh.press(tea.KeyPgDown, 0)
	}
	hh.flush()
	check()
	if l.sel != n-1 || !l.complete {
		t.Fatalf("at the end: row %d complete %v", l.sel, l.complete)
	}
	hh.mustShow(fmt.Sprintf("%d conversations", n), "parcel number 0 is late")
	for range 5 {
		hh.press(tea.KeyUp, 0)
		check()
	}
	// Every page was fetched a bounded number of times.
	if st.lists > 3*n/pageSize {
		t.Fatalf("%d List calls for %d pages", st.lists, n/pageSize)
	}
	// Rows of escalated conversations name their operator once scrolling
	// rests (c00994 is escalated: every seventh).
	hh.mustShow("Tanaka")
}
