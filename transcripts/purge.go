package transcripts

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"go.etcd.io/bbolt"
)

// Deleting has to remove a conversation's text from the file, and bbolt
// keeps freed pages' old bytes, so a delete is two steps:
//
//  1. One transaction removes the conversation, its entries and its index
//     keys, and sets meta/purge_pending: the file owes a purge.
//  2. The purge copies every live key into NAME.compact-PID (without the
//     marker), fsyncs it and renames it over the store, atomically, while
//     still holding the lock on both files; then the old file is let go.
//
// A crash or kill -9 between the two leaves the marker in the store, and the
// next writer to open it purges before anything else. A crash during the
// copy leaves a NAME.compact-PID that the next writer removes. So deleted
// text never outlives the next open, and no stale copy is left behind.

var keyPurgePending = []byte("purge_pending")

// testHook, when set by a test, is called at named points of a delete and
// an export, so a helper process can kill itself there deterministically.
var testHook func(stage string)

func hook(stage string) {
	if testHook != nil {
		testHook(stage)
	}
}

// compactBatch is how many bytes of keys and values the purge copies per
// transaction of the new file.
var compactBatch = 32 << 20

// DeleteFailedError says a delete did not happen at all because the disk is
// full. errors.Is(err, ErrDiskFull) is true.
type DeleteFailedError struct {
	ID  string
	Err error
}

func (e *DeleteFailedError) Error() string {
	return fmt.Sprintf("cannot delete conversation %s: the disk is full, so nothing was deleted; free some space and try again", e.ID)
}

// Unwrap gives the *DiskFullError.
func (e *DeleteFailedError) Unwrap() error { return e.Err }

// PurgePendingError says a conversation was deleted but its text could not
// yet be wiped from the file: the purge failed (typically for lack of disk
// space, since it writes a copy of the store). The next open for writing
// tries again. errors.Is(err, ErrDiskFull) is true when that was the cause.
type PurgePendingError struct {
	ID   string
	Path string
	Err  error
}

func (e *PurgePendingError) Error() string {
	if errors.Is(e.Err, ErrDiskFull) {
		return fmt.Sprintf("conversation %s was deleted and no longer shows anywhere, but the disk is too full to wipe its text from %s "+
			"(that needs free space about the size of the file); tsunagu wipes it the next time it opens the store with enough space", e.ID, e.Path)
	}
	return fmt.Sprintf("conversation %s was deleted and no longer shows anywhere, but wiping its text from %s failed (%v); "+
		"tsunagu tries again the next time it opens the store", e.ID, e.Path, e.Err)
}

// Unwrap gives the purge's error.
func (e *PurgePendingError) Unwrap() error { return e.Err }

// Delete removes a conversation, its entries and its index keys, then purges
// the file so that its text is gone from the raw bytes (bbolt keeps freed
// pages' old contents otherwise). The purge rewrites the whole file, so it
// takes about as long as copying it. A damaged conversation can be deleted
// too.
//
// Errors: *DeleteFailedError when the disk is full and nothing was deleted;
// *PurgePendingError when the conversation is deleted but its text is not
// yet wiped (the next open for writing finishes it).
func (s *Store) Delete(id string) error {
	err := s.update(func(tx *bbolt.Tx) error {
		if err := deleteConversation(tx, id); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyPurgePending, []byte{1})
	})
	if errors.Is(err, ErrDiskFull) {
		return &DeleteFailedError{ID: id, Err: err}
	}
	if err != nil {
		return err
	}
	hook("marked")
	if err := s.purge(); err != nil {
		return &PurgePendingError{ID: id, Path: s.path, Err: err}
	}
	return nil
}

// deleteConversation removes everything stored about id. When its records
// are damaged, the index keys naming it are found by scanning the indexes.
func deleteConversation(tx *bbolt.Tx, id string) error {
	h, err := getHeader(tx, id)
	damaged := errors.Is(err, ErrDamaged)
	if err != nil && !damaged {
		return err
	}
	var entries []Entry
	if !damaged {
		entries, err = loadEntries(tx, id)
		damaged = errors.Is(err, ErrDamaged)
		if err != nil && !damaged {
			return err
		}
	}
	tb := tx.Bucket(bucketTerms)
	if damaged {
		if err := removeFromIndexes(tx, id); err != nil {
			return err
		}
	} else {
		terms := map[string]struct{}{}
		headerTerms(h, terms)
		for i := range entries {
			entryTerms(&entries[i], terms)
		}
		p := posting(h)
		for t := range terms {
			if err := removePosting(tb, blockKey(t, h.StartedAt), p); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketByTime).Delete(byTimeKey(h)); err != nil {
			return err
		}
	}
	eb := tx.Bucket(bucketEntries)
	prefix := entryPrefix(id)
	c := eb.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketConversations).Delete([]byte(id))
}

// removeFromIndexes takes id out of the list and search indexes by scanning
// them, for a conversation whose records cannot be read.
func removeFromIndexes(tx *bbolt.Tx, id string) error {
	var keys [][]byte
	bt := tx.Bucket(bucketByTime)
	_ = bt.ForEach(func(k, _ []byte) error {
		if len(k) > 8 && string(k[8:]) == id {
			keys = append(keys, bytes.Clone(k))
		}
		return nil
	})
	for _, k := range keys {
		if err := bt.Delete(k); err != nil {
			return err
		}
	}
	type edit struct{ k, v []byte }
	var edits []edit
	tb := tx.Bucket(bucketTerms)
	_ = tb.ForEach(func(k, v []byte) error {
		ps := decodeBlock(v)
		kept := slicesDeleteID(ps, id)
		if len(kept) != len(ps) {
			edits = append(edits, edit{bytes.Clone(k), encodeBlock(kept)})
		}
		return nil
	})
	for _, e := range edits {
		var err error
		if len(e.v) == 0 {
			err = tb.Delete(e.k)
		} else {
			err = tb.Put(e.k, e.v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func slicesDeleteID(ps [][]byte, id string) [][]byte {
	out := ps[:0:0]
	for _, p := range ps {
		if len(p) > 8 && string(p[8:]) == id {
			continue
		}
		out = append(out, p)
	}
	return out
}

// Compact purges the store now: see Delete.
func (s *Store) Compact() error { return s.purge() }

// purge copies the store into NAME.compact-PID without the purge marker and
// renames the copy over the store. The copy stays open (and locked) across
// the rename, so no other process can slip in between, and it becomes the
// store's database.
func (s *Store) purge() (err error) {
	if s.readOnly != nil {
		return s.readOnly
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed != nil {
		return s.closed
	}
	tmp := fmt.Sprintf("%s.compact-%d", s.path, os.Getpid())
	_ = os.Remove(tmp)
	dst, err := bbolt.Open(tmp, fileMode, &bbolt.Options{Timeout: s.opts.Timeout, NoSync: true, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		_ = os.Remove(tmp)
		return diskErr(s.path, err)
	}
	defer func() {
		if err != nil {
			_ = closeBolt(dst)
			_ = os.Remove(tmp)
		}
	}()
	if err = copyStore(dst, s.db); err != nil {
		return diskErr(s.path, err)
	}
	if err = dst.Sync(); err != nil {
		return diskErr(s.path, err)
	}
	dst.NoSync = false
	if err = os.Chmod(tmp, fileMode); err != nil {
		return err
	}
	hook("copied")
	if err = os.Rename(tmp, s.path); err != nil {
		return err
	}
	syncDir(filepath.Dir(s.path))
	hook("renamed")
	_ = closeBolt(s.db)
	s.db = dst
	return nil
}

// copyStore copies every bucket, key and bucket sequence of src into dst,
// committing every compactBatch bytes and after each top-level bucket,
// leaving out the purge marker.
func copyStore(dst, src *bbolt.DB) (err error) {
	defer faultsPanic()()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the store is damaged: %v", r)
		}
	}()
	return src.View(func(stx *bbolt.Tx) error {
		dtx, err := dst.Begin(true)
		if err != nil {
			return err
		}
		defer func() { _ = dtx.Rollback() }()
		size := 0
		// open returns the destination bucket at path in the current dtx.
		open := func(path [][]byte) *bbolt.Bucket {
			b := dtx.Bucket(path[0])
			for _, name := range path[1:] {
				b = b.Bucket(name)
			}
			b.FillPercent = importFillPercent
			return b
		}
		var copyBucket func(sb *bbolt.Bucket, path [][]byte) error
		copyBucket = func(sb *bbolt.Bucket, path [][]byte) error {
			db := open(path)
			if err := db.SetSequence(sb.Sequence()); err != nil {
				return err
			}
			c := sb.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if v == nil {
					if _, err := db.CreateBucket(k); err != nil {
						return err
					}
					if err := copyBucket(sb.Bucket(k), append(slicesClone(path), bytes.Clone(k))); err != nil {
						return err
					}
					db = open(path)
					continue
				}
				if len(path) == 1 && bytes.Equal(path[0], bucketMeta) && bytes.Equal(k, keyPurgePending) {
					continue
				}
				if err := db.Put(k, v); err != nil {
					return err
				}
				if size += len(k) + len(v); size >= compactBatch {
					if err := dtx.Commit(); err != nil {
						return err
					}
					hook("copy")
					if dtx, err = dst.Begin(true); err != nil {
						return err
					}
					size = 0
					db = open(path)
				}
			}
			return nil
		}
		// One transaction per top-level bucket at least: bbolt writes a
		// transaction's buckets in map order, so this keeps the new file's
		// layout the same from run to run.
		err = stx.ForEach(func(name []byte, sb *bbolt.Bucket) error {
			if _, err := dtx.CreateBucket(name); err != nil {
				return err
			}
			if err := copyBucket(sb, [][]byte{bytes.Clone(name)}); err != nil {
				return err
			}
			if err := dtx.Commit(); err != nil {
				return err
			}
			size = 0
			dtx, err = dst.Begin(true)
			return err
		})
		if err != nil {
			return err
		}
		return dtx.Commit()
	})
}

func slicesClone(p [][]byte) [][]byte { return append([][]byte(nil), p...) }

// --- after a crash ---------------------------------------------------------------

// recoverInterrupted runs at the end of Open (never OpenReadOnly, which
// changes nothing on disk). A writer (which holds the file alone) removes
// copies left by an interrupted purge or create, adds checksums to records
// written before them, and finishes an interrupted delete; it and an Open
// that fell back to read-only remove export temporary files whose writer
// died. Failures leave things for the next open: they are not errors of
// this one.
func (s *Store) recoverInterrupted() {
	if s.readOnly == nil {
		removeStaleCopies(s.path)
		_ = s.sealPending() // checksum.go
		pending := false
		_ = s.view(func(tx *bbolt.Tx) error {
			if m := tx.Bucket(bucketMeta); m != nil {
				pending = m.Get(keyPurgePending) != nil
			}
			return nil
		})
		if pending {
			_ = s.purge()
		}
	}
	cleanExportTemps(s.path, s.readOnly == nil)
}

// removeStaleCopies removes NAME.compact-* (only a writer makes them, and we
// are the writer now) and NAME.new-PID files whose process is gone.
func removeStaleCopies(path string) {
	matches, _ := filepath.Glob(globEscape(path) + ".compact-*")
	for _, m := range matches {
		_ = os.Remove(m)
	}
	matches, _ = filepath.Glob(globEscape(path) + ".new-*")
	for _, m := range matches {
		pid, err := strconv.Atoi(strings.TrimPrefix(m, path+".new-"))
		if err == nil && pid != os.Getpid() && !processAlive(pid) {
			_ = os.Remove(m)
		}
	}
}

func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
