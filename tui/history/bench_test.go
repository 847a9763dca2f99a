package history

import (
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// The history benchmarks run on a big store named by TSUNAGU_HISTORY_DB
// (scripts/bench-history.sh builds a 100,000-conversation one with the
// repo's generator and "tsunagu history import", and caches it). Without it
// they run on 2,000 generated conversations, so "go test -bench" always
// measures something. Building 100k here would make the default test run
// slow, so it is never done in a test.
func historyBenchStore(b *testing.B) Store {
	b.Helper()
	if path := os.Getenv("TSUNAGU_HISTORY_DB"); path != "" {
		s, err := Opener(path, time.Second, nil)()
		if err != nil || s == nil {
			b.Fatalf("TSUNAGU_HISTORY_DB=%s: %v", path, err)
		}
		if c, ok := s.(interface{ Close() error }); ok {
			b.Cleanup(func() { c.Close() })
		}
		return s
	}
	s, _ := historyFixtureStore(b, historyMany(2000))
	return s
}

func historyBenchHarness(b *testing.B, st Store) *harness {
	hh := newHarness(b, harnessOpts{lang: "ja", store: st, width: 120, height: 40})
	if !strings.Contains(hh.h.Frame(), "›") {
		b.Fatalf("no rows:\n%s", hh.view())
	}
	return hh
}

// BenchmarkHistoryFirstFrame: from New to a frame with rows (fetch
// the first page, render) on an already open store; benchhistory and the
// tmux run time the whole start, opening included.
func BenchmarkHistoryFirstFrame(b *testing.B) {
	st := historyBenchStore(b)
	for b.Loop() {
		historyBenchHarness(b, st)
	}
}

// BenchmarkHistoryListKey: one ↓ or PgDn and the frame after it, walking
// down the whole store page by page (fetching pages as it goes).
func BenchmarkHistoryListKey(b *testing.B) {
	hh := historyBenchHarness(b, historyBenchStore(b))
	i := 0
	for b.Loop() {
		code := tea.KeyDown
		if i%10 == 9 {
			code = tea.KeyPgDown
		}
		i++
		hh.send(tea.KeyPressMsg{Code: code})
		_ = hh.h.Frame()
	}
}

// BenchmarkHistorySearch: type a query and run its search to the frame
// with the highlighted results (the debounce fired at once).
func BenchmarkHistorySearch(b *testing.B) {
	hh := historyBenchHarness(b, historyBenchStore(b))
	queries := []string{"返品", "refund", "届きません", "parcel", "tracking"}
	i := 0
	for b.Loop() {
		hh.send(tea.KeyPressMsg{Code: tea.KeyEscape})
		hh.flush()
		hh.search(queries[i%len(queries)])
		i++
		_ = hh.h.Frame()
	}
}
