package transcripts

import (
	"bytes"
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"pgregory.net/rapid"
)

// C28: keys iterate in insertion order across the 255 and 65,535 boundaries
// (big-endian encoding; a little-endian or varint key would break there).
func TestPropertySequenceKeysSortNumerically(t *testing.T) {
	near := rapid.SampledFrom([]uint64{0, 250, 255, 256, 65530, 65535, 65536, 1<<24 - 3, 1<<32 - 1, 1<<64 - 2})
	rapid.Check(t, func(t *rapid.T) {
		a := near.Draw(t, "a") + rapid.Uint64Range(0, 10).Draw(t, "da")
		b := near.Draw(t, "b") + rapid.Uint64Range(0, 10).Draw(t, "db")
		if got, want := bytes.Compare(u64(a), u64(b)), cmp.Compare(a, b); got != want {
			t.Fatalf("key order of %d and %d is %d, want %d", a, b, got, want)
		}
		ta := time.Unix(0, rapid.Int64().Draw(t, "ta"))
		tb := time.Unix(0, rapid.Int64().Draw(t, "tb"))
		// by_time and terms keys sort newest first.
		if got, want := bytes.Compare(timeKey(ta), timeKey(tb)), -ta.Compare(tb); got != want {
			t.Fatalf("time key order of %v and %v is %d, want %d", ta, tb, got, want)
		}
	})
}

func TestPropertyEntriesKeepInsertionOrderAcrossBoundaries(t *testing.T) {
	dir := t.TempDir()
	n := 0
	rapid.Check(t, func(t *rapid.T) {
		start := rapid.SampledFrom([]uint64{1, 250, 254, 65530, 65534, 1<<24 - 5}).Draw(t, "start")
		count := rapid.IntRange(1, 12).Draw(t, "count")
		n++
		s, err := Open(filepath.Join(dir, fmt.Sprintf("order-%d.db", n)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.CreateConversation(Conversation{ID: "c", Lang: "en", StartedAt: time.Unix(1, 0)}); err != nil {
			t.Fatal(err)
		}
		// Jump the entry sequence near a boundary, as a long-lived store would reach it.
		s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketEntries).SetSequence(start) })
		for i := range count {
			if _, err := s.AppendEntry("c", Entry{At: time.Unix(int64(100+i), 0), Role: RoleCustomer, Text: fmt.Sprint("m", i)}); err != nil {
				t.Fatal(err)
			}
		}
		c, err := s.Load("c")
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range c.Entries {
			if e.Text != fmt.Sprint("m", i) {
				t.Fatalf("entry %d is %q: order broken after sequence %d", i, e.Text, start)
			}
		}
	})
}

// C28: values are copied out of transactions. Everything returned is kept,
// more writes happen while another goroutine reads (run with -race), then the
// store is closed, which unmaps the file: any value still pointing into the
// map would change or fault.
func TestPropertyValuesAreCopiedOut(t *testing.T) {
	dir := t.TempDir()
	n := 0
	rapid.Check(t, func(t *rapid.T) {
		n++
		s, err := Open(filepath.Join(dir, fmt.Sprintf("copy-%d.db", n)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		texts := rapid.SliceOfN(rapid.StringN(1, 200, -1), 1, 8).Draw(t, "texts")
		if _, err := s.CreateConversation(Conversation{ID: "c", Lang: "ja", StartedAt: time.Unix(1, 0)}); err != nil {
			t.Fatal(err)
		}
		var kept []Conversation
		var snapshots [][]byte
		var lists []Page
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { // a concurrent reader, as the history screen would be
			defer wg.Done()
			for range texts {
				if p, err := s.List(Filter{}, "", 5); err == nil {
					lists = append(lists, p)
				}
			}
		}()
		for i, text := range texts {
			if _, err := s.AppendEntry("c", Entry{At: time.Unix(int64(10+i), 0), Role: RoleCustomer, Text: text}); err != nil {
				t.Fatal(err)
			}
			c, err := s.Load("c")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := EncodeJSON(c)
			kept, snapshots = append(kept, c), append(snapshots, b)
		}
		wg.Wait()
		s.Close()
		for i, c := range kept {
			if b, _ := EncodeJSON(c); !bytes.Equal(b, snapshots[i]) {
				t.Fatalf("value %d changed after the store closed", i)
			}
			if got, want := c.Entries[len(c.Entries)-1].Text, cleanText(texts[i]); got != want {
				t.Fatalf("entry %d = %q, want %q", i, got, want)
			}
		}
		for _, p := range lists {
			for _, it := range p.Items {
				if it.ID != "c" {
					t.Fatalf("listed id changed to %q", it.ID)
				}
			}
		}
	})
}

// C28: a retried write never duplicates a message. AppendEntry is one Update
// (no Batch, whose functions bbolt may re-run); retrying an append whose
// outcome the caller did not see stores it once.
func TestPropertyRetriedAppendNeverDuplicates(t *testing.T) {
	dir := t.TempDir()
	n := 0
	rapid.Check(t, func(t *rapid.T) {
		n++
		s, err := Open(filepath.Join(dir, fmt.Sprintf("retry-%d.db", n)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.CreateConversation(Conversation{ID: "c", Lang: "en", StartedAt: time.Unix(1, 0)}); err != nil {
			t.Fatal(err)
		}
		messages := rapid.SliceOfN(rapid.SampledFrom([]string{"hi", "refund please", "返品したい", "hi"}), 1, 10).Draw(t, "messages")
		for i, m := range messages {
			e := Entry{At: time.Unix(int64(10+i), 0), Role: RoleCustomer, Text: m}
			tries := rapid.IntRange(1, 3).Draw(t, "tries")
			var first uint64
			for try := range tries {
				seq, err := s.AppendEntry("c", e)
				if err != nil {
					t.Fatal(err)
				}
				if try == 0 {
					first = seq
				} else if seq != first {
					t.Fatalf("retry got sequence %d, first attempt %d", seq, first)
				}
			}
		}
		c, _ := s.Load("c")
		if len(c.Entries) != len(messages) {
			t.Fatalf("%d messages sent, %d stored", len(messages), len(c.Entries))
		}
		page, _ := s.List(Filter{}, "", 1)
		if page.Items[0].Entries != len(messages) {
			t.Fatalf("entry count %d, want %d", page.Items[0].Entries, len(messages))
		}
	})
}

// The search index's posting blocks behave as sets: adding and removing
// postings in any order leaves exactly the model's members, sorted.
func TestPropertyPostingBlocksAreSortedSets(t *testing.T) {
	dir := t.TempDir()
	db, err := bbolt.Open(filepath.Join(dir, "postings.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	rapid.Check(t, func(t *rapid.T) {
		n++
		key := []byte(fmt.Sprint("term\x00", n))
		model := map[string]bool{}
		ops := rapid.SliceOfN(rapid.IntRange(0, 30), 1, 40).Draw(t, "ops")
		err := db.Update(func(tx *bbolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists(bucketTerms)
			if err != nil {
				return err
			}
			for i, op := range ops {
				h := &header{ID: fmt.Sprint("c", op%10), StartedAt: time.Unix(int64(op%7)*1000, 0)}
				p := posting(h)
				if i%3 == 2 {
					delete(model, string(p))
					if err := removePosting(b, key, p); err != nil {
						return err
					}
				} else {
					model[string(p)] = true
					if err := addPostings(b, key, [][]byte{p, p}); err != nil {
						return err
					}
				}
			}
			var got []string
			forEachPosting(b.Get(key), func(p []byte) { got = append(got, string(p)) })
			want := make([]string, 0, len(model))
			for p := range model {
				want = append(want, p)
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("block holds %q, want %q", got, want)
			}
			if len(model) == 0 && b.Get(key) != nil {
				t.Fatal("an empty block was kept")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestBlockKeysOrderHoursNewestFirst(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := time.Unix(rapid.Int64Range(-1<<40, 1<<40).Draw(t, "a"), 0)
		b := time.Unix(rapid.Int64Range(-1<<40, 1<<40).Draw(t, "b"), 0)
		ka, kb := blockKey("x", a), blockKey("x", b)
		ha, hb := a.Truncate(time.Hour), b.Truncate(time.Hour)
		if a.Unix() < 0 || b.Unix() < 0 {
			ha, hb = time.Unix(floorDiv(a.Unix(), 3600)*3600, 0), time.Unix(floorDiv(b.Unix(), 3600)*3600, 0)
		}
		if got, want := bytes.Compare(ka, kb), -ha.Compare(hb); got != want {
			t.Fatalf("block keys of %v and %v compare %d, want %d", a, b, got, want)
		}
	})
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
