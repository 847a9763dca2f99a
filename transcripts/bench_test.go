package transcripts_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"tsunagu/transcripts"
	"tsunagu/transcripts/genhist"
)

// Benchmarks. The small ones run anywhere. The big ones need a store of
// 100,000 conversations / 1,000,000 entries, which takes a while to build,
// so they run only with TSUNAGU_BIG=1; the store is built once and cached in
// TSUNAGU_BIG_DIR (default $TMPDIR/tsunagu-bench) for later runs:
//
//	TSUNAGU_BIG=1 go test -run '^$' -bench . -benchtime 20x ./transcripts
//
// TSUNAGU_BIG_N changes the size (default 100000).

var (
	benchStart = time.Date(2026, 1, 1, 9, 0, 0, 0, time.FixedZone("", 9*3600))
	benchAt    = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
)

// medianTimer records each operation's duration so the median can be
// reported next to Go's mean: one slow fsync should not hide the typical cost.
type medianTimer struct{ d []time.Duration }

func (m *medianTimer) time(fn func()) {
	start := time.Now()
	fn()
	m.d = append(m.d, time.Since(start))
}

func (m *medianTimer) report(b *testing.B) {
	if len(m.d) == 0 {
		return
	}
	slices.Sort(m.d)
	b.ReportMetric(float64(m.d[len(m.d)/2].Nanoseconds()), "median-ns/op")
}

const benchText = "注文したワイヤレスイヤホンがまだ届きません。追跡番号を見ても動いていないようです。Could you check the tracking, please?"

// BenchmarkAppendMessage: one message appended and fsynced, index included.
// Compare its median with BenchmarkBareUpdate.
func BenchmarkAppendMessage(b *testing.B) {
	s, err := transcripts.Open(filepath.Join(b.TempDir(), "append.db"), transcripts.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateConversation(transcripts.Conversation{ID: "bench", Lang: "ja", StartedAt: benchAt}); err != nil {
		b.Fatal(err)
	}
	var m medianTimer
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e := transcripts.Entry{At: benchAt.Add(time.Duration(i) * time.Second), Role: transcripts.RoleCustomer, Author: "佐藤 花子", Text: benchText}
		m.time(func() {
			if _, err := s.AppendEntry("bench", e); err != nil {
				b.Fatal(err)
			}
		})
	}
	m.report(b)
}

// BenchmarkBareUpdate: one bbolt Update putting a value of the same size as
// the stored entry under a big-endian sequence key: the floor for a durable write.
func BenchmarkBareUpdate(b *testing.B) {
	db, err := bbolt.Open(filepath.Join(b.TempDir(), "bare.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	e := transcripts.Entry{At: benchAt, Role: transcripts.RoleCustomer, Author: "佐藤 花子", Text: benchText}
	value, _ := transcripts.SafeJSON(e)
	db.Update(func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("entries")); return err })
	var m medianTimer
	b.ResetTimer()
	for b.Loop() {
		m.time(func() {
			err := db.Update(func(tx *bbolt.Tx) error {
				bk := tx.Bucket([]byte("entries"))
				seq, _ := bk.NextSequence()
				k := make([]byte, 8)
				binary.BigEndian.PutUint64(k, seq)
				return bk.Put(k, value)
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	}
	m.report(b)
}

// BenchmarkAppendVsBareUpdate alternates the two operations above on the
// same disk, so that noise from other processes hits both alike, and reports
// each median and their ratio (target: at most 2).
func BenchmarkAppendVsBareUpdate(b *testing.B) {
	dir := b.TempDir()
	s, err := transcripts.Open(filepath.Join(dir, "append.db"), transcripts.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateConversation(transcripts.Conversation{ID: "bench", Lang: "ja", StartedAt: benchAt}); err != nil {
		b.Fatal(err)
	}
	db, err := bbolt.Open(filepath.Join(dir, "bare.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.Update(func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("entries")); return err })
	var appendT, bareT medianTimer
	for i := 0; b.Loop(); i++ {
		e := transcripts.Entry{At: benchAt.Add(time.Duration(i) * time.Second), Role: transcripts.RoleCustomer, Author: "佐藤 花子", Text: benchText}
		value, _ := transcripts.SafeJSON(e)
		appendT.time(func() {
			if _, err := s.AppendEntry("bench", e); err != nil {
				b.Fatal(err)
			}
		})
		bareT.time(func() {
			err := db.Update(func(tx *bbolt.Tx) error {
				bk := tx.Bucket([]byte("entries"))
				seq, _ := bk.NextSequence()
				return bk.Put(binary.BigEndian.AppendUint64(nil, seq), value)
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	}
	slices.Sort(appendT.d)
	slices.Sort(bareT.d)
	ma, mb := appendT.d[len(appendT.d)/2], bareT.d[len(bareT.d)/2]
	b.ReportMetric(float64(ma.Nanoseconds()), "append-median-ns")
	b.ReportMetric(float64(mb.Nanoseconds()), "bare-median-ns")
	b.ReportMetric(float64(ma)/float64(mb), "ratio")
}

// --- the big store -----------------------------------------------------------

func bigN() int {
	if n, err := strconv.Atoi(os.Getenv("TSUNAGU_BIG_N")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func bigDir(b *testing.B) string {
	dir := os.Getenv("TSUNAGU_BIG_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "tsunagu-bench")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	return dir
}

func needBig(b *testing.B) {
	if os.Getenv("TSUNAGU_BIG") != "1" {
		b.Skip("set TSUNAGU_BIG=1 to run the 100,000-conversation benchmarks")
	}
}

var bigOnce sync.Once

// bigJSONL returns the path of the generated history, writing it once.
func bigJSONL(b *testing.B) string {
	path := filepath.Join(bigDir(b), fmt.Sprintf("history-%d.jsonl", bigN()))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	if err := genhist.Write(f, genhist.Options{Conversations: bigN(), Seed: 1, Start: benchStart}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	os.Rename(path+".tmp", path)
	return path
}

// bigStore returns the path of the cached big store, importing it once.
func bigStore(b *testing.B) string {
	needBig(b)
	path := filepath.Join(bigDir(b), fmt.Sprintf("store-%d.db", bigN()))
	bigOnce.Do(func() {
		if _, err := os.Stat(path); err == nil {
			return
		}
		src := bigJSONL(b)
		os.Remove(path)
		s, err := transcripts.Open(path+".tmp", transcripts.Options{})
		if err != nil {
			b.Fatal(err)
		}
		f, _ := os.Open(src)
		defer f.Close()
		start := time.Now()
		rep, err := s.Import(f)
		if err != nil || rep.Imported != bigN() {
			b.Fatalf("building the big store: %+v, %v", rep, err)
		}
		s.Close()
		os.Rename(path+".tmp", path)
		b.Logf("built %s in %s", path, time.Since(start).Round(time.Millisecond))
	})
	return path
}

// BenchmarkImport100k imports the generated history into an empty store
// (one iteration is the whole import; use -benchtime 1x).
func BenchmarkImport100k(b *testing.B) {
	needBig(b)
	src := bigJSONL(b)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), fmt.Sprintf("import-%d.db", i))
		s, err := transcripts.Open(path, transcripts.Options{})
		if err != nil {
			b.Fatal(err)
		}
		f, _ := os.Open(src)
		b.StartTimer()
		rep, err := s.Import(f)
		b.StopTimer()
		f.Close()
		s.Close()
		if err != nil || rep.Imported != bigN() {
			b.Fatalf("import: %+v, %v", rep, err)
		}
		info, _ := os.Stat(path)
		b.ReportMetric(float64(info.Size())/(1<<20), "file-MB")
		os.Remove(path)
		b.StartTimer()
	}
}

func BenchmarkOpenBig(b *testing.B) {
	path := bigStore(b)
	for b.Loop() {
		s, err := transcripts.Open(path, transcripts.Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func openBig(b *testing.B) *transcripts.Store {
	s, err := transcripts.Open(bigStore(b), transcripts.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkListFirstPageBig(b *testing.B) {
	s := openBig(b)
	for b.Loop() {
		page, err := s.List(transcripts.Filter{}, "", transcripts.DefaultPageSize)
		if err != nil || len(page.Items) != transcripts.DefaultPageSize {
			b.Fatalf("list: %d items, %v", len(page.Items), err)
		}
	}
}

func BenchmarkListFilteredBig(b *testing.B) {
	s := openBig(b)
	for b.Loop() {
		if _, err := s.List(transcripts.Filter{Topic: "billing", Escalated: true, MaxRating: 2}, "", transcripts.DefaultPageSize); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchBig(b *testing.B) {
	s := openBig(b)
	for _, q := range []string{"返品", "refund", "二重請求", "Tanaka", "waterproof warranty"} {
		b.Run(q, func(b *testing.B) {
			var total int
			for b.Loop() {
				res, err := s.Search(q, transcripts.Filter{}, transcripts.DefaultPageSize)
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}

// BenchmarkPeakRSSListSearchBig runs a fresh process that opens the big
// store, lists the first page and runs the searches above, and reports that
// process's peak resident set size.
func BenchmarkPeakRSSListSearchBig(b *testing.B) {
	path := bigStore(b)
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "TSUNAGU_HELPER=rss", "TSUNAGU_HELPER_DB="+path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("helper: %v\n%s", err, out)
		}
		kb, err := strconv.Atoi(strings.TrimSpace(string(bytes.TrimPrefix(out, []byte("maxrss-kb ")))))
		if err != nil {
			b.Fatalf("helper said %q", out)
		}
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
	}
}
