package transcripts

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// makeStore writes a store with n sample conversations and returns its path.
func makeStore(t *testing.T, dir string, n int) string {
	t.Helper()
	path := filepath.Join(dir, "tsunagu.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		c := sampleConversation(fmt.Sprintf("conv-%03d", i))
		c.StartedAt = c.StartedAt.Add(time.Duration(i) * time.Minute)
		if _, err := s.CreateConversation(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// C25: damaged and foreign files never panic; they are moved aside to
// NAME.corrupt-TIMESTAMP with their bytes intact, the error says where, and
// opening again starts an empty store (so no lock was leaked). One damaged
// header page is not among them: bbolt reads the other one
// (TestOneDamagedHeaderPageIsKept).
func TestCorruptFilesAreMovedAside(t *testing.T) {
	pageSize := os.Getpagesize()
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"empty file", func(t *testing.T, path string) { os.Truncate(path, 0) }},
		{"truncated", func(t *testing.T, path string) {
			info, _ := os.Stat(path)
			os.Truncate(path, info.Size()/2)
		}},
		{"truncated to one page", func(t *testing.T, path string) { os.Truncate(path, int64(pageSize)) }},
		{"both meta pages zeroed", func(t *testing.T, path string) { overwrite(t, path, 0, make([]byte, 2*pageSize)) }},
		{"not a bolt file", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("# my shopping list\neggs\nmilk\n"), 0o600)
		}},
		{"garbage pages", func(t *testing.T, path string) {
			info, _ := os.Stat(path)
			garbage := make([]byte, info.Size()-int64(2*pageSize))
			rng := rand.New(rand.NewPCG(25, 25))
			for i := range garbage {
				garbage[i] = byte(rng.UintN(256))
			}
			overwrite(t, path, int64(2*pageSize), garbage)
		}},
		{"foreign bbolt file", func(t *testing.T, path string) {
			os.Remove(path)
			db, _ := bbolt.Open(path, 0o600, nil)
			db.Update(func(tx *bbolt.Tx) error {
				b, _ := tx.CreateBucket([]byte("someone-else"))
				return b.Put([]byte("k"), []byte("v"))
			})
			db.Close()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := makeStore(t, t.TempDir(), 30)
			tt.damage(t, path)
			damaged, _ := os.ReadFile(path)

			clock := func() time.Time { return time.Date(2026, 11, 26, 23, 0, 0, 0, time.UTC) }
			s, err := Open(path, Options{Now: clock, Verify: true})
			var ce *CorruptError
			if !errors.As(err, &ce) || !errors.Is(err, ErrCorrupt) {
				if s != nil {
					s.Close()
				}
				t.Fatalf("Open = %v, want a CorruptError", err)
			}
			wantMoved := path + ".corrupt-20261126T230000Z"
			if ce.MovedTo != wantMoved || !strings.Contains(err.Error(), wantMoved) {
				t.Fatalf("moved to %q (message %q), want %q", ce.MovedTo, err, wantMoved)
			}
			kept, err := os.ReadFile(wantMoved)
			if err != nil || !bytes.Equal(kept, damaged) {
				t.Fatalf("the damaged file was not kept byte for byte: %v", err)
			}
			if strings.Contains(ce.Error(), "goroutine") || strings.Contains(ce.Error(), "\n") {
				t.Fatalf("error is not one sentence: %q", ce.Error())
			}

			// Opening again starts a new, empty store: no lock was leaked.
			s, err = Open(path, Options{Now: clock, Timeout: 200 * time.Millisecond})
			if err != nil {
				t.Fatalf("reopen after moving aside: %v", err)
			}
			if n, _ := s.Count(); n != 0 {
				t.Fatalf("new store holds %d conversations", n)
			}
			s.Close()

			// A second damaged file at the same second never overwrites the first.
			os.WriteFile(path, []byte("junk"), 0o600)
			_, err = Open(path, Options{Now: clock})
			if !errors.As(err, &ce) || ce.MovedTo != wantMoved+"-1" {
				t.Fatalf("second damaged file: %v", err)
			}
			if again, _ := os.ReadFile(wantMoved); !bytes.Equal(again, damaged) {
				t.Fatal("the first moved-aside file was overwritten")
			}
		})
	}
}

// Damage found while the store is open (a panic inside bbolt on a garbage
// page) is recovered: the call returns a CorruptError, the file is moved
// aside, and the store refuses further work instead of crashing.
func TestGarbageFoundWhileOpenDoesNotPanic(t *testing.T) {
	path := makeStore(t, t.TempDir(), 40)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Overwrite every page after the meta pages while the file is open: the
	// memory map shows the garbage to the next transaction.
	info, _ := os.Stat(path)
	ps := int64(os.Getpagesize())
	garbage := bytes.Repeat([]byte{0xff, 0x13, 0x00, 0x7f}, int(info.Size()-2*ps)/4)
	overwrite(t, path, 2*ps, garbage)

	var sawCorrupt bool
	for _, op := range []func() error{
		func() error { _, err := s.List(Filter{}, "", 10); return err },
		func() error { _, err := s.Load("conv-001"); return err },
		func() error { _, err := s.Search("返品", Filter{}, 10); return err },
		func() error { _, err := s.AppendMessage("conv-001", RoleCustomer, "", "x"); return err },
	} {
		if err := op(); errors.Is(err, ErrCorrupt) {
			sawCorrupt = true
		}
	}
	if !sawCorrupt {
		t.Fatal("no operation reported the damage")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("damaged file still at %s", path)
	}
	if _, err := s.List(Filter{}, "", 10); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("store still in use after damage: %v", err)
	}
}

func overwrite(t *testing.T, path string, off int64, data []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(data, off); err != nil {
		t.Fatal(err)
	}
}

// C26: 0600 file, 0700 folder, 0600 exports and pid file, also under umask 000.
func TestPermissionsUnderUmaskZero(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "new", "nested")
	path := filepath.Join(dir, "tsunagu.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateConversation(sampleConversation("p1")); err != nil {
		t.Fatal(err)
	}
	export := filepath.Join(t.TempDir(), "out.md")
	if err := s.ExportFile(export, FormatMarkdown); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("p1"); err != nil { // compaction writes a new file
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		want os.FileMode
	}{
		{filepath.Dir(dir), 0o700},
		{dir, 0o700},
		{path, 0o600},
		{path + ".pid", 0o600},
		{export, 0o600},
	} {
		info, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != c.want {
			t.Errorf("%s has mode %o, want %o", c.path, got, c.want)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(export))
	if len(entries) != 1 {
		t.Errorf("export left temporary files behind: %v", entries)
	}
}

// C27: missing version initialises; older migrates in one transaction;
// newer is refused for writing.
func TestSchemaVersions(t *testing.T) {
	t.Run("missing: a new file gets the current version", func(t *testing.T) {
		s, path := openTemp(t)
		s.Close()
		if v := readVersion(t, path); v != SchemaVersion {
			t.Fatalf("version %d, want %d", v, SchemaVersion)
		}
	})
	t.Run("older: version 1 is migrated and its records indexed", func(t *testing.T) {
		path := writeVersion1(t, `{"id":"old-1","started_at":"2025-01-02T03:04:05Z","lang":"ja","customer":{"name":"古い"},"status":"closed","entries":1}`)
		s, err := Open(path, Options{Verify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		res, err := s.Search("返品", Filter{}, 10)
		if err != nil || res.Total != 1 || res.Items[0].ID != "old-1" || res.Items[0].Preview == "" {
			t.Fatalf("search after migration = %+v, %v", res, err)
		}
		page, _ := s.List(Filter{Status: StatusClosed}, "", 10)
		if len(page.Items) != 1 {
			t.Fatalf("list after migration = %+v", page)
		}
		s.Close()
		if v := readVersion(t, path); v != SchemaVersion {
			t.Fatalf("version after migration %d", v)
		}
	})
	t.Run("older: a failing migration changes nothing", func(t *testing.T) {
		path := writeVersion1(t, `{"id":"bad-1", "started_at": 12}`)
		_, err := Open(path, Options{})
		if err == nil || !strings.Contains(err.Error(), "upgrading storage to version 2") {
			t.Fatalf("Open = %v, want the migration error", err)
		}
		if v := readVersion(t, path); v != 1 {
			t.Fatalf("version %d after a failed migration, want 1", v)
		}
		db, _ := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
		defer db.Close()
		db.View(func(tx *bbolt.Tx) error {
			if tx.Bucket(bucketByTime) != nil {
				t.Error("half a migration was committed")
			}
			return nil
		})
	})
	t.Run("newer: refused for writing, readable read-only", func(t *testing.T) {
		path := makeStore(t, t.TempDir(), 2)
		db, _ := bbolt.Open(path, 0o600, nil)
		db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(SchemaVersion+1)) })
		db.Close()
		_, err := Open(path, Options{})
		var se *SchemaError
		if !errors.As(err, &se) || !errors.Is(err, ErrNewerSchema) || se.FileVersion != SchemaVersion+1 {
			t.Fatalf("Open for writing = %v, want SchemaError", err)
		}
		s, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("read-only open: %v", err)
		}
		defer s.Close()
		if n, _ := s.Count(); n != 2 {
			t.Fatalf("read %d conversations", n)
		}
		if _, err := s.AppendMessage("conv-000", RoleCustomer, "", "x"); !errors.Is(err, ErrReadOnly) {
			t.Fatalf("write to newer store: %v", err)
		}
		if v := readVersion(t, path); v != SchemaVersion+1 {
			t.Fatal("the newer file's version was changed")
		}
	})
}

func readVersion(t *testing.T, path string) uint64 {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v uint64
	db.View(func(tx *bbolt.Tx) error {
		v = binary.BigEndian.Uint64(tx.Bucket(bucketMeta).Get(keySchemaVersion))
		return nil
	})
	return v
}

// writeVersion1 builds a file as version 1 wrote it: records, no indexes.
func writeVersion1(t *testing.T, headerJSON string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		if err := createRecordBuckets(tx); err != nil {
			return err
		}
		var h struct{ ID string }
		json.Unmarshal([]byte(headerJSON), &h)
		tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(1))
		tx.Bucket(bucketConversations).Put([]byte(h.ID), []byte(headerJSON))
		e, _ := marshalJSON(Entry{At: time.Date(2025, 1, 2, 3, 4, 6, 0, time.UTC), Role: RoleCustomer, Text: "返品したいです"})
		return tx.Bucket(bucketEntries).Put(entryKey(h.ID, 1), e)
	})
	if err != nil {
		t.Fatal(err)
	}
	return path
}
