package transcripts

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// Storage versions 3 (faithful records, faithful.go) and 4 (checksums,
// checksum.go) come from two branches; these tests pin their order and
// that every older file reads, and upgrades, whichever way it is opened.

func TestMigrationOrder(t *testing.T) {
	for i, m := range migrations {
		if m.version != uint64(i+1) {
			t.Fatalf("migration %d has version %d", i, m.version)
		}
	}
	if faithfulVersion != 3 || sealVersion != 4 || SchemaVersion != 4 {
		t.Fatalf("faithful %d, seal %d, schema %d; want 3, 4, 4", faithfulVersion, sealVersion, SchemaVersion)
	}
}

// writeUnsealedStore writes convs as a store of the given version before
// checksums wrote them: every header and entry plain JSON, stored as given
// (duplicate close events and "You" authors included), indexes as the
// writers of the day kept them.
func writeUnsealedStore(t *testing.T, version uint64, convs ...Conversation) string {
	t.Helper()
	s, path := openTemp(t)
	s.Close()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, c := range convs {
			h := &header{V: 1, ID: c.ID, StartedAt: c.StartedAt, Lang: c.Lang, Customer: c.Customer, Status: StatusOpen, LastAt: c.StartedAt}
			eb := tx.Bucket(bucketEntries)
			for i := range c.Entries {
				seq, _ := eb.NextSequence()
				b, _ := marshalJSON(&c.Entries[i])
				if err := eb.Put(entryKey(c.ID, seq), b); err != nil {
					return err
				}
				applyEntry(h, &c.Entries[i])
			}
			b, _ := marshalJSON(h)
			if err := tx.Bucket(bucketConversations).Put([]byte(c.ID), b); err != nil {
				return err
			}
			if err := tx.Bucket(bucketByTime).Put(byTimeKey(h), byTimeRow(h)); err != nil {
				return err
			}
			if err := putTerms(txWriter{tx}, h, conversationTerms(h, c.Entries)); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if meta.Get(keySealFrom) != nil {
			t.Error("a new store is marked for sealing")
		}
		return meta.Put(keySchemaVersion, u64(version))
	})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// exportLinesOf exports everything as JSON Lines through the checking
// reader, keyed by conversation id.
func exportLinesOf(t *testing.T, s *Store) map[string]Conversation {
	t.Helper()
	var buf bytes.Buffer
	rep, err := s.ExportAll(&buf, FormatJSONLines, ExportOptions{})
	if err != nil {
		t.Fatalf("ExportAll: %v", err)
	}
	out := map[string]Conversation{}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var c Conversation
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		out[c.ID] = c
	}
	if rep.Exported != len(out) {
		t.Fatalf("exported %d, %d lines", rep.Exported, len(out))
	}
	return out
}

func sealPendingIn(t *testing.T, path string) bool {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pending := false
	db.View(func(tx *bbolt.Tx) error {
		pending = tx.Bucket(bucketMeta).Get(keySealFrom) != nil
		return nil
	})
	return pending
}

// A version 2 store: a reader fixes the records in memory everywhere it
// reads them (Load, ForEach, the checking reader's export) and checks it
// without checksums, changing nothing; a writer runs version 3 then 4 and
// seals everything.
func TestVersion2StoreReadsAndUpgrades(t *testing.T) {
	path := writeUnsealedStore(t, 2, legacyConversation("named", "Yumi Sato"), legacyConversation("anonymous", ""))
	before, _ := os.ReadFile(path)
	faithful := func(t *testing.T, c Conversation, author string) {
		t.Helper()
		if len(c.Entries) != 5 || c.Entries[0].Author != author {
			t.Errorf("%s: %d entries, author %q; want 5, %q", c.ID, len(c.Entries), c.Entries[0].Author, author)
		}
	}

	r, err := OpenReadOnly(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Load("named")
	if err != nil {
		t.Fatal(err)
	}
	faithful(t, c, "Yumi Sato")
	if err := r.ForEach(func(c Conversation) error {
		faithful(t, c, map[string]string{"named": "Yumi Sato", "anonymous": ""}[c.ID])
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	exported := exportLinesOf(t, r)
	faithful(t, exported["named"], "Yumi Sato")
	faithful(t, exported["anonymous"], "")
	rep, err := r.Check()
	if err != nil || len(rep.Damaged) > 0 || rep.Conversations != 2 || rep.Unverified != 2+12 {
		t.Fatalf("reader's check: %+v, %v", rep, err)
	}
	r.Close()
	if now, _ := os.ReadFile(path); !bytes.Equal(now, before) {
		t.Fatal("a reader changed the file")
	}

	s, err := Open(path, Options{Verify: true})
	if err != nil {
		t.Fatal(err)
	}
	if v := readVersionOf(t, s); v != SchemaVersion {
		t.Fatalf("version %d after a writer's open", v)
	}
	rep, err = s.Check()
	if err != nil || !rep.OK() || rep.Unverified != 0 || rep.Conversations != 2 || rep.Entries != 10 {
		t.Fatalf("after the upgrade: %+v, %v", rep, err)
	}
	for id, author := range map[string]string{"named": "Yumi Sato", "anonymous": ""} {
		c, err := s.Load(id)
		if err != nil {
			t.Fatal(err)
		}
		faithful(t, c, author)
	}
	if res, _ := s.Search("you", Filter{}, 10); res.Total != 0 {
		t.Errorf(`"you" still finds %d conversations`, res.Total)
	}
	if err := s.CloseConversation("named"); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Load("named"); len(c.Entries) != 5 {
		t.Errorf("a sealed, closed conversation took another close event: %d entries", len(c.Entries))
	}
	s.Close()
	if sealPendingIn(t, path) {
		t.Error("records are still marked for sealing")
	}
}

// A version 3 store (faithful, no checksums) reads as it is, and the next
// writer seals it.
func TestVersion3StoreReadsAndIsSealed(t *testing.T) {
	c := legacyConversation("v3", "Ken")
	c.Entries = faithfulEntries(c.Entries, "Ken")
	path := writeUnsealedStore(t, 3, c)
	r, err := OpenReadOnly(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := r.Load("v3"); err != nil || len(got.Entries) != 5 {
		t.Fatalf("reader: %d entries, %v", len(got.Entries), err)
	}
	if exported := exportLinesOf(t, r); len(exported["v3"].Entries) != 5 {
		t.Fatalf("reader's export: %+v", exported)
	}
	r.Close()

	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.Check()
	if err != nil || !rep.OK() || rep.Unverified != 0 || rep.Entries != 5 {
		t.Fatalf("after the writer's open: %+v, %v", rep, err)
	}
}

// A damaged record in a version 2 store does not stop the upgrade: the
// faithful migration leaves that conversation alone, and Check names it.
func TestVersion2UpgradeSkipsADamagedConversation(t *testing.T) {
	path := writeUnsealedStore(t, 2, legacyConversation("sound", "Yumi"), legacyConversation("damaged", "Ken"))
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEntries)
		k := entryKey("damaged", 0)
		k, v := b.Cursor().Seek(k)
		v = bytes.Clone(v)
		v[0] = 'x' // neither JSON nor sealed
		return b.Put(bytes.Clone(k), v)
	})
	db.Close()

	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("the upgrade stopped at a damaged record: %v", err)
	}
	defer s.Close()
	if c, err := s.Load("sound"); err != nil || len(c.Entries) != 5 || c.Entries[0].Author != "Yumi" {
		t.Fatalf("sound: %+v, %v", c, err)
	}
	if _, err := s.Load("damaged"); !errors.Is(err, ErrDamaged) {
		t.Fatalf("damaged: %v", err)
	}
	rep, err := s.Check()
	if err != nil || len(rep.Damaged) != 1 || rep.Damaged[0].ID != "damaged" {
		t.Fatalf("check: %+v, %v", rep, err)
	}
}

// A new store is at the last version with nothing to seal, so its first
// open for writing has nothing to do.
func TestNewStoreIsNotMarkedForSealing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if v := readVersion(t, path); v != SchemaVersion {
		t.Fatalf("version %d", v)
	}
	if sealPendingIn(t, path) {
		t.Fatal("a new store is marked for sealing")
	}
}
