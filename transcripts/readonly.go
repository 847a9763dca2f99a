package transcripts

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
	"golang.org/x/sys/unix"

	"tsunagu/transcripts/termsafe"
)

// Readers share the file (the product contract: browsing history never locks other
// readers out; only a writer holds the file alone).
//
// bbolt locks the file with flock: a writer exclusively, for as long as it
// has the file open; a read-only opener shared. A Store from OpenReadOnly
// does not keep the file open between reads: each read opens it read-only
// under the shared lock, runs one read transaction and closes it again. So
// any number of readers in any processes work side by side, a chat can start
// while a history browser is open (it waits at most for a read in flight),
// and a reader sees what writers did at its next read. While a writer holds
// the file, a read waits up to Options.Timeout and then returns an
// *InUseError (Reading set) that names the writer, such as "a running chat
// (pid 4242)".
//
// A read-only open never creates, migrates, writes, renames or moves aside
// anything, and writes no pid file: a damaged or foreign file gives a
// *CorruptError with Kept set, and a file too old to read an *UpgradeError.
// To write (a delete, or resuming a conversation in a chat), take the write
// lock with OpenWriter or WithWriter, and let go of it as soon as possible.

// HolderChat is the Options.Holder of a chat, named in readers' errors.
const HolderChat = "a running chat"

// HolderServe is the Options.Holder of `tsunagu serve`, which holds the
// store for as long as it serves.
const HolderServe = "tsunagu serve"

// minReadableVersion is the oldest storage version a read-only open reads:
// version 2 added the indexes List and Search walk. Later versions' fixes
// are applied in memory when an older file is read (see faithful.go).
const minReadableVersion = 2

// OpenReadOnly opens the store at path for reading only, side by side with
// any number of other readers (see above). It checks the file once now, so a
// missing (fs.ErrNotExist), damaged (*CorruptError, Kept), too old
// (*UpgradeError) or busy (*InUseError) store is reported at once; later
// reads can still meet a writer and return *InUseError. A store written by a
// newer tsunagu is read, and ReadOnlyReason says why it is read-only.
// Options.ReadOnly is implied; Open with ReadOnly set calls this.
func OpenReadOnly(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.ReadOnly = true
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("cannot use %s as the conversation store: %w", path, err)
	}
	s := &Store{path: abs, opts: opts, shared: true,
		readOnly: &ReadOnlyError{Path: abs, Reason: openedReadOnly}}
	var have uint64
	var problems []string
	err = s.sharedView(func(tx *bbolt.Tx) error {
		var err error
		if have, err = fileVersion(tx); err != nil {
			return err
		}
		// bbolt's check stops at a damaged header page, which bbolt
		// itself reads past (the next writer rewrites it); skip it then.
		if opts.Verify && have >= minReadableVersion && have <= SchemaVersion && !s.oneHeaderBad.Load() {
			for e := range tx.Check() {
				problems = append(problems, e.Error())
			}
		}
		return nil
	})
	if _, ok := err.(errForeign); ok {
		return nil, s.damaged(err.Error())
	}
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, s.damaged("consistency check: " + problems[0])
	}
	switch {
	case have > SchemaVersion:
		serr := &SchemaError{Path: abs, FileVersion: have, KnownVersions: SchemaVersion}
		s.readOnly = &ReadOnlyError{Path: abs, Reason: serr.Error()}
	case have < minReadableVersion:
		return nil, &UpgradeError{Path: abs, FileVersion: have}
	}
	return s, nil
}

// Upgrade opens the store at path for writing, which runs the migrations it
// has not had, and closes it: what a reader needs after *UpgradeError. Being
// a write open, it creates a missing store and moves a damaged one aside.
func Upgrade(path string, opts Options) error {
	opts.ReadOnly = false
	s, err := Open(path, opts)
	if err != nil {
		return err
	}
	if s.readOnly != nil {
		s.Close()
		return s.readOnly
	}
	return s.Close()
}

// openedReadOnly is the ReadOnlyReason of a reader that could take a writer.
const openedReadOnly = "it was opened read-only"

// WriteRefusal is nil when the store can be written: directly (a store from
// Open), or through WithWriter and OpenWriter (a reader from OpenReadOnly,
// whose writer can still find a running chat holding the file). Otherwise
// it is the *ReadOnlyError saying why not: a newer tsunagu's file, or a file
// or folder that is not writable. The history browser shows it, and offers
// delete and resume only when it is nil.
func (s *Store) WriteRefusal() error {
	ro, ok := s.readOnly.(*ReadOnlyError)
	if !s.shared || !ok || ro.Reason != openedReadOnly {
		return s.readOnly
	}
	if reason := notWritable(s.path); reason != "" {
		return &ReadOnlyError{Path: s.path, Reason: reason}
	}
	return nil
}

// OpenWriter takes the write lock of a store from OpenReadOnly: it opens the
// same file for writing (migrating it if needed) with the reader's Timeout
// and Now, naming holder (HolderChat, or for example "a history delete") in
// other processes' errors while it is open. It waits up to Timeout for
// reads in flight, and returns *InUseError when a writer holds the file. The
// reader stays open; its reads wait for the writer (or say it is in use), so
// close the writer as soon as it is done. A chat resumed from the history
// browser takes the writer over and closes it when it ends.
func (s *Store) OpenWriter(holder string) (*Store, error) {
	if !s.shared {
		if s.readOnly != nil {
			return nil, s.readOnly
		}
		return nil, fmt.Errorf("%w: %s is open for writing already; write to it directly", ErrInvalid, s.path)
	}
	opts := s.opts
	opts.ReadOnly, opts.Holder, opts.Verify = false, holder, false
	return Open(s.path, opts)
}

// WithWriter runs fn with the store open for writing and then lets go of
// the write lock: for a store from OpenReadOnly it opens a writer
// (OpenWriter) just for fn; a store opened for writing is passed as it is; a
// store that cannot be written returns its *ReadOnlyError.
func (s *Store) WithWriter(holder string, fn func(w *Store) error) error {
	if !s.shared {
		if s.readOnly != nil {
			return s.readOnly
		}
		return fn(s)
	}
	w, err := s.OpenWriter(holder)
	if err != nil {
		return err
	}
	err = fn(w)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// sharedView runs one read transaction on the file opened just for it.
func (s *Store) sharedView(fn func(tx *bbolt.Tx) error) error {
	return s.sharedViewFile(func(tx *bbolt.Tx, _ *os.File) error { return fn(tx) })
}

// sharedViewFile is sharedView that also hands fn the open file the
// transaction reads (the checking reader maps the same file, rawread.go).
func (s *Store) sharedViewFile(fn func(tx *bbolt.Tx, f *os.File) error) (err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed != nil {
		return s.closed
	}
	db, f, err := s.openShared()
	if err != nil {
		return err
	}
	var panicked any
	func() {
		// A damaged page can fault on the mapped file; make that a panic
		// recovered here rather than a crash.
		defer faultsPanic()()
		defer func() {
			if r := recover(); r != nil {
				panicked = r
			}
		}()
		err = db.View(func(tx *bbolt.Tx) error { return fn(tx, f) })
	}()
	closeBolt(db)
	if panicked != nil {
		return s.damaged(fmt.Sprint("bbolt: ", panicked))
	}
	return err
}

// openShared opens the file read-only under the shared lock. The file is
// opened once: the header pages are checked (precheck) on the same open file
// that bbolt then maps, so the checked file is the one read even if a writer
// swaps a compacted file in meanwhile. f is that file, owned by db (closed
// with it).
func (s *Store) openShared() (db *bbolt.DB, f *os.File, err error) {
	f, err = os.Open(s.path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("there is no conversation store at %s yet: %w", s.path, fs.ErrNotExist)
		}
		return nil, nil, fmt.Errorf("cannot open the conversation store %s: %w", s.path, err)
	}
	handed := false // bbolt owns f from then on, and closes it
	defer faultsPanic()()
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, s.damaged(fmt.Sprint("bbolt: ", r))
			handed = false
		}
		if !handed {
			f.Close()
			f = nil
		}
	}()
	if info, err := f.Stat(); err != nil || info.IsDir() {
		return nil, nil, fmt.Errorf("cannot open the conversation store %s: it is not a file", s.path)
	}
	if err := lockShared(f, s.opts.Timeout); err != nil {
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, nil, inUseError(s.path, true)
		}
		return nil, nil, fmt.Errorf("cannot open the conversation store %s: %w", s.path, err)
	}
	reason, oneHeaderBad := precheckLocked(f)
	if reason != "" {
		return nil, nil, s.damaged(reason)
	}
	s.oneHeaderBad.Store(oneHeaderBad)
	db, err = bbolt.Open(s.path, fileMode, &bbolt.Options{ReadOnly: true, Timeout: s.opts.Timeout,
		FreelistType: bbolt.FreelistMapType,
		OpenFile: func(string, int, fs.FileMode) (*os.File, error) {
			handed = true
			return f, nil
		}})
	if err == nil {
		return db, f, nil
	}
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, nil, inUseError(s.path, true)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return nil, nil, s.damaged(err.Error())
	}
	return nil, nil, fmt.Errorf("cannot open the conversation store %s: %w", s.path, err)
}

// lockShared takes the shared flock on f, waiting up to timeout for a
// writer to let go; it returns EWOULDBLOCK when the writer did not.
func lockShared(f *os.File, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_SH|unix.LOCK_NB)
		if err == nil || !errors.Is(err, unix.EWOULDBLOCK) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// damaged is what a reader reports about a damaged or foreign file: it is
// left where and as it is.
func (s *Store) damaged(reason string) error {
	return &CorruptError{Path: s.path, Reason: reason, Kept: true}
}

// inUseError names the process holding path, from its pid sidecar.
func inUseError(path string, reading bool) *InUseError {
	pid, holder := readHolder(path)
	return &InUseError{Path: path, PID: pid, Holder: holder, Reading: reading}
}

// holderLine keeps a holder name to one short, terminal-safe line.
func holderLine(s string) string {
	s = strings.TrimSpace(termsafe.Line(s))
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60])
	}
	return s
}
