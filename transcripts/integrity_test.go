package transcripts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// damageRecord changes one stored value (or key) in place, the way bit rot
// would, bypassing the checksum.
func damageRecord(t *testing.T, path string, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func flipIn(b *bbolt.Bucket, key []byte, at int) error {
	v := bytes.Clone(b.Get(key))
	if v == nil {
		return fmt.Errorf("no key %q", key)
	}
	v[(at+len(v))%len(v)] ^= 0x08
	return b.Put(key, v)
}

func firstEntryKey(tx *bbolt.Tx, id string) []byte {
	k, _ := tx.Bucket(bucketEntries).Cursor().Seek(entryPrefix(id))
	return bytes.Clone(k)
}

// One damaged record is reported with its conversation's id everywhere it
// is read, and blocks nothing else: Load, List, Check, export with and
// without SkipDamaged.
func TestDamagedRecordIsReportedAndBlocksNothingElse(t *testing.T) {
	tests := []struct {
		name     string
		damage   func(tx *bbolt.Tx) error
		id       string // the conversation reported damaged ("" for none)
		what     string // in the report
		index    bool   // only the indexes are damaged
		training bool
		stray    string // also reported: a damaged record under a damaged key
	}{
		{"a message's text", func(tx *bbolt.Tx) error {
			return flipIn(tx.Bucket(bucketEntries), firstEntryKey(tx, "conv-003"), -10)
		}, "conv-003", "entry 1 fails its checksum", false, false, ""},
		{"a message's checksum", func(tx *bbolt.Tx) error {
			return flipIn(tx.Bucket(bucketEntries), firstEntryKey(tx, "conv-003"), 2)
		}, "conv-003", "entry 1 fails its checksum", false, false, ""},
		{"a message's format marker", func(tx *bbolt.Tx) error {
			return flipIn(tx.Bucket(bucketEntries), firstEntryKey(tx, "conv-003"), 0)
		}, "conv-003", "entry 1 has a damaged format marker", false, false, ""},
		{"a message's key", func(tx *bbolt.Tx) error {
			b := tx.Bucket(bucketEntries)
			k := firstEntryKey(tx, "conv-003")
			v := bytes.Clone(b.Get(k))
			if err := b.Delete(k); err != nil {
				return err
			}
			k[len(k)-1] ^= 0x40 // another sequence number: now the last
			return b.Put(k, v)
		}, "conv-003", "entry 10 fails its checksum", false, false, ""},
		{"a message lost", func(tx *bbolt.Tx) error {
			return tx.Bucket(bucketEntries).Delete(firstEntryKey(tx, "conv-003"))
		}, "conv-003", "1 of its 10 entries are missing", false, false, ""},
		{"a header", func(tx *bbolt.Tx) error {
			return flipIn(tx.Bucket(bucketConversations), []byte("conv-003"), 40)
		}, "conv-003", "its record fails its checksum", false, false, ""},
		{"a header's key", func(tx *bbolt.Tx) error {
			b := tx.Bucket(bucketConversations)
			v := bytes.Clone(b.Get([]byte("conv-003")))
			b.Delete([]byte("conv-003"))
			return b.Put([]byte("conv-00s"), v)
		}, "conv-003", "its record is missing", false, false, "conv-00s"},
		{"a training session", func(tx *bbolt.Tx) error {
			return flipIn(tx.Bucket(bucketTraining), u64(1), -5)
		}, "", "training session 0000000000000001 is damaged", false, true, ""},
		{"the list index", func(tx *bbolt.Tx) error {
			c := tx.Bucket(bucketByTime).Cursor()
			k, v := c.First()
			v = bytes.Clone(v)
			v[0] = statusCode(StatusAbandoned)
			return tx.Bucket(bucketByTime).Put(bytes.Clone(k), v)
		}, "", "the list index is wrong about conversation conv-004", true, false, ""},
		{"the search index", func(tx *bbolt.Tx) error {
			c := tx.Bucket(bucketTerms).Cursor()
			k, v := c.First()
			v = bytes.Clone(v)
			v[len(v)-1] ^= 0x01 // the id in the last posting
			return tx.Bucket(bucketTerms).Put(bytes.Clone(k), v)
		}, "", "the search index entry", true, false, ""},
		{"a search index key", func(tx *bbolt.Tx) error {
			b := tx.Bucket(bucketTerms)
			var k, v []byte
			b.ForEach(func(bk, bv []byte) error {
				if k == nil && bytes.HasPrefix(bk, []byte("返品\x00")) {
					k, v = bytes.Clone(bk), bytes.Clone(bv)
				}
				return nil
			})
			if k == nil {
				return fmt.Errorf("no 返品 block")
			}
			b.Delete(k)
			k[2] ^= 0x04 // 返 becomes another character
			return b.Put(k, v)
		}, "", "the search index is wrong about conversation conv-00", true, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := makeStore(t, t.TempDir(), 5)
			s, _ := Open(path, Options{})
			s.SaveTraining(TrainingSession{Trainee: "aiko", ScenarioID: "s1", Score: 1})
			s.Close()
			damageRecord(t, path, tt.damage)
			s, err := Open(path, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()

			rep, err := s.Check()
			if err != nil || rep.OK() {
				t.Fatalf("Check = %+v, %v; want damage", rep, err)
			}
			report := fmt.Sprint(rep.Damaged, rep.Index)
			if !strings.Contains(report, tt.what) || tt.id != "" && !strings.Contains(report, tt.id+": ") {
				t.Fatalf("Check reported %s; want %s: %s", report, tt.id, tt.what)
			}
			if tt.index != (len(rep.Damaged) == 0) {
				t.Fatalf("Check: damaged %v, index %v", rep.Damaged, rep.Index)
			}

			// Load of the damaged conversation says so; the others load.
			for i := range 5 {
				id := fmt.Sprintf("conv-%03d", i)
				_, err := s.Load(id)
				if id == tt.id {
					var de *DamagedError
					if !errors.As(err, &de) || de.ID != id || !errors.Is(err, ErrDamaged) {
						t.Errorf("Load(%s) = %v, want a DamagedError naming it", id, err)
					}
				} else if err != nil {
					t.Errorf("Load(%s) = %v", id, err)
				}
			}
			if _, err := s.ListTraining("", 0); tt.training != errors.Is(err, ErrDamaged) {
				t.Errorf("ListTraining = %v", err)
			}

			// The list shows every conversation; a damaged one says so.
			page, err := s.List(Filter{}, "", 10)
			if err != nil {
				t.Fatal(err)
			}
			if tt.id != "" && tt.what != "its record is missing" {
				if len(page.Items) != 5 {
					t.Fatalf("List shows %d conversations", len(page.Items))
				}
				for _, it := range page.Items {
					if (it.Damaged != "") != (it.ID == tt.id && strings.HasPrefix(tt.name, "a header")) {
						t.Errorf("List row %s: damaged %q", it.ID, it.Damaged)
					}
				}
			}

			// Export without SkipDamaged stops at it and says where.
			var buf bytes.Buffer
			_, err = s.ExportAll(&buf, FormatJSONLines, ExportOptions{})
			var stopped *ExportStoppedError
			if tt.id != "" {
				total := 5
				if tt.stray != "" {
					total = 6
				}
				if !errors.As(err, &stopped) || stopped.Damaged.ID != tt.id && stopped.Damaged.ID != tt.stray || stopped.Total != total ||
					!strings.Contains(err.Error(), fmt.Sprintf("after %d of %d conversations", stopped.Exported, total)) {
					t.Fatalf("export = %v, want it stopped at %s", err, tt.id)
				}
			} else if err != nil {
				t.Fatalf("export with %s damaged: %v", tt.name, err)
			}

			// With SkipDamaged everything else is written, whole.
			buf.Reset()
			got, err := s.ExportAll(&buf, FormatJSONLines, ExportOptions{SkipDamaged: true})
			if err != nil {
				t.Fatal(err)
			}
			want := 5
			if tt.id != "" {
				want = 4
				var ids []string
				for _, sk := range got.Skipped {
					ids = append(ids, sk.ID)
				}
				if strings.Join(ids, " ") != strings.TrimSpace(tt.stray+" "+tt.id) {
					t.Fatalf("skipped %v, want %s", got.Skipped, strings.TrimSpace(tt.stray+" "+tt.id))
				}
			}
			if got.Exported != want || strings.Count(buf.String(), "\n") != want {
				t.Fatalf("exported %d (%d lines), want %d", got.Exported, strings.Count(buf.String(), "\n"), want)
			}
			if tt.id != "" && strings.Contains(buf.String(), `"id":"`+tt.id+`"`) {
				t.Fatal("the damaged conversation was exported")
			}
		})
	}
}

// A store written before checksums (schema version 2: plain JSON records)
// still reads, and opening it for writing seals every record and makes each
// entry count exact.
func TestOldRecordsGetChecksums(t *testing.T) {
	defer func(n int) { sealBatch = n }(sealBatch)
	sealBatch = 1 // a transaction per conversation: the cursor in meta carries on
	path := makeStore(t, t.TempDir(), 3)
	// Turn it back into a version 2 store: unsealed records, one header
	// counting one entry too many.
	damageRecord(t, path, func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketConversations, bucketEntries} {
			b := tx.Bucket(name)
			var keys, vals [][]byte
			b.ForEach(func(k, v []byte) error {
				js, _, err := unseal(k, v)
				if err != nil {
					return err
				}
				if string(k) == "conv-001" {
					var h header
					json.Unmarshal(js, &h)
					h.Entries++
					js, _ = marshalJSON(h)
				}
				keys, vals = append(keys, bytes.Clone(k)), append(vals, bytes.Clone(js))
				return nil
			})
			for i := range keys {
				b.Put(keys[i], vals[i])
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(2))
	})
	// Read-only: the old records still read (an old store cannot be
	// upgraded without write access, so this reads it as it is).
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *bbolt.Tx) error {
		h, err := getHeader(tx, "conv-000")
		if err != nil || h.ID != "conv-000" {
			t.Errorf("old header: %v", err)
		}
		if e, err := loadEntries(tx, "conv-000"); err != nil || len(e) != 10 {
			t.Errorf("old entries: %d, %v", len(e), err)
		}
		return nil
	})
	db.Close()

	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.Check()
	if err != nil || !rep.OK() || rep.Unverified != 0 || rep.Conversations != 3 || rep.Entries != 30 {
		t.Fatalf("after the upgrade: %+v, %v", rep, err)
	}
	if c, err := s.Load("conv-001"); err != nil || len(c.Entries) != 10 {
		t.Fatalf("conv-001 after the upgrade: %v", err)
	}
	s.Close()
	if v := readVersion(t, path); v != SchemaVersion || SchemaVersion < sealVersion {
		t.Fatalf("version %d", v)
	}
}

// The checksum covers the key and the JSON; unseal tells old, damaged and
// sound records apart.
func TestSealUnseal(t *testing.T) {
	key, js := []byte("conv-1"), []byte(`{"id":"conv-1"}`)
	sealed := seal(key, js)
	tests := []struct {
		name       string
		key, value []byte
		legacy     bool
		err        error
	}{
		{"sound", key, sealed, false, nil},
		{"old plain JSON", key, js, true, nil},
		{"another key", []byte("conv-2"), sealed, false, errSumMismatch},
		{"empty", key, nil, false, errSumShort},
		{"marker only", key, sealed[:3], false, errSumShort},
		{"marker damaged", key, append([]byte{sealMarker ^ 0x10}, sealed[1:]...), false, errSumMarker},
	}
	for i := range sealed {
		for bit := range 8 {
			v := bytes.Clone(sealed)
			v[i] ^= 1 << bit
			want := errSumMismatch
			if i == 0 {
				want = errSumMarker
			}
			tests = append(tests, struct {
				name       string
				key, value []byte
				legacy     bool
				err        error
			}{fmt.Sprintf("bit %d of byte %d", bit, i), key, v, false, want})
		}
	}
	for _, tt := range tests {
		got, legacy, err := unseal(tt.key, tt.value)
		if err != tt.err || legacy != tt.legacy || err == nil && !bytes.Equal(got, js) {
			t.Errorf("%s: unseal = %q, %v, %v; want legacy %v, %v", tt.name, got, legacy, err, tt.legacy, tt.err)
		}
	}
}
