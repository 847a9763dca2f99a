package transcripts

import (
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"
)

// Bucket and key names; the tree is drawn in doc.go.
var (
	bucketMeta          = []byte("meta")
	keySchemaVersion    = []byte("schema_version")
	bucketConversations = []byte("conversations")
	bucketEntries       = []byte("entries")
	bucketByTime        = []byte("by_time")
	bucketTerms         = []byte("terms")
	bucketTraining      = []byte("training")
)

// migration brings the schema from version-1 to version.
type migration struct {
	version uint64
	apply   func(tx *bbolt.Tx) error
}

// migrations run in order, all in one transaction, from the file's version to
// the last one here. Never edit a released step; add a new one.
var migrations = []migration{
	{1, createRecordBuckets},
	{2, buildIndexes},
	{faithfulVersion, faithfulRecords}, // 3: migrate_faithful.go
	{sealVersion, markUnsealed},        // 4: checksum.go
}

// SchemaVersion is the storage version this code writes.
var SchemaVersion = migrations[len(migrations)-1].version

// createRecordBuckets is version 1: the records themselves.
func createRecordBuckets(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bucketMeta, bucketConversations, bucketEntries, bucketTraining} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// buildIndexes is version 2: the time-ordered list index and the search
// index, built from whatever records version 1 holds.
func buildIndexes(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bucketByTime, bucketTerms} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	convs := tx.Bucket(bucketConversations)
	return convs.ForEach(func(k, v []byte) error {
		js, _, err := unseal(k, v)
		if err != nil {
			return fmt.Errorf("conversation %s: %w", printableID(k), err)
		}
		h, err := decodeHeader(js)
		if err != nil {
			return fmt.Errorf("conversation %s: %w", printableID(k), err)
		}
		entries, err := loadEntries(tx, h.ID)
		if err != nil {
			return err
		}
		rebuildHeaderStats(h, entries)
		if err := putHeader(txWriter{tx}, h); err != nil {
			return err
		}
		terms := map[string]struct{}{}
		headerTerms(h, terms)
		for i := range entries {
			indexTerms(entries[i].Text, terms)
		}
		return putTerms(txWriter{tx}, h, terms)
	})
}

// migrate runs every migration the file has not had, in one transaction. A
// file with no buckets at all is new; one with buckets but no meta version is
// somebody else's bbolt file.
func migrate(tx *bbolt.Tx) error {
	have, err := fileVersion(tx)
	if err != nil {
		return err
	}
	if have > SchemaVersion {
		return &SchemaError{FileVersion: have, KnownVersions: SchemaVersion}
	}
	for _, m := range migrations {
		if m.version <= have {
			continue
		}
		if err := m.apply(tx); err != nil {
			return fmt.Errorf("upgrading storage to version %d: %w", m.version, err)
		}
		if err := tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(m.version)); err != nil {
			return err
		}
	}
	return nil
}

// errForeign marks a bbolt file that tsunagu did not write.
type errForeign struct{}

func (errForeign) Error() string { return "a bbolt file that tsunagu did not write" }

func fileVersion(tx *bbolt.Tx) (uint64, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bbolt.Bucket) error { empty = false; return nil })
		if empty {
			return 0, nil
		}
		return 0, errForeign{}
	}
	v := meta.Get(keySchemaVersion)
	if len(v) != 8 {
		return 0, errForeign{}
	}
	return binary.BigEndian.Uint64(v), nil
}

// checkSchema runs after bbolt.Open: it migrates an older file (needs write
// access), refuses a newer one for writing, and moves a foreign one aside.
func (s *Store) checkSchema() error {
	var have uint64
	err := s.view(func(tx *bbolt.Tx) error {
		var err error
		have, err = fileVersion(tx)
		return err
	})
	if _, ok := err.(errForeign); ok {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.shut(err.Error())
	}
	if err != nil {
		return err
	}
	switch {
	case have == SchemaVersion:
		return nil
	case have > SchemaVersion:
		serr := &SchemaError{Path: s.path, FileVersion: have, KnownVersions: SchemaVersion}
		if s.readOnly == nil {
			closeBolt(s.db)
			return serr
		}
		s.readOnly = &ReadOnlyError{Path: s.path, Reason: serr.Error()}
		return nil
	case s.readOnly != nil:
		closeBolt(s.db)
		return fmt.Errorf("%s uses the older storage version %d and must be upgraded, which needs write access: %w", s.path, have, s.readOnly)
	}
	err = s.update(migrate)
	if err != nil {
		closeBolt(s.db)
		return fmt.Errorf("cannot upgrade %s: %w", s.path, err)
	}
	return nil
}

func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}
