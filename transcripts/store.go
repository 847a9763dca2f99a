package transcripts

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
	"golang.org/x/sys/unix"
)

// Options configure Open.
type Options struct {
	// Timeout bounds the wait for another process's lock. Default 1s.
	Timeout time.Duration
	// ReadOnly opens for reading only, as OpenReadOnly does: readers share
	// the file with each other and never lock a writer out between reads.
	ReadOnly bool
	// Now is the clock for new ids and moved-aside names. Default time.Now.
	Now func() time.Time
	// Verify runs bbolt's full consistency check at open (slow on big
	// stores; the kill -9 and damage tests use it).
	Verify bool
	// Holder names a writer in the "in use" errors other processes get
	// while it holds the file, such as HolderChat. Default "another tsunagu".
	Holder string
}

// Store is an open conversation store. Its methods are safe for concurrent use.
type Store struct {
	path     string
	opts     Options
	readOnly error // non-nil when writes are refused, saying why
	shared   bool  // opened by OpenReadOnly: the file is opened for each read (readonly.go)
	// oneHeaderBad: a shared open last found one bbolt header page damaged.
	oneHeaderBad atomic.Bool

	mu     sync.RWMutex // guards db; held exclusively to close, compact or shut after damage
	db     *bbolt.DB
	closed error // ErrClosed or the CorruptError that shut the store
}

const (
	fileMode = 0o600
	dirMode  = 0o700
)

// Open opens (creating if needed) the store at path.
//
// Errors are typed: *InUseError (ErrInUse) when another process writes to
// it; *CorruptError (ErrCorrupt) when the file was damaged or foreign, after
// moving it to NAME.corrupt-TIMESTAMP (open again to start an empty store);
// *SchemaError (ErrNewerSchema) when a newer tsunagu wrote it. When the file
// or its directory is not writable, Open falls back to read-only:
// ReadOnlyReason says why, and writes return *ReadOnlyError. With ReadOnly
// set, Open is OpenReadOnly: it never creates, moves or changes anything.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ReadOnly {
		return OpenReadOnly(path, opts)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("cannot use %s as the conversation store: %w", path, err)
	}
	s := &Store{path: abs, opts: opts}
	if opts.ReadOnly {
		s.readOnly = &ReadOnlyError{Path: abs, Reason: "it was opened read-only"}
	}

	info, statErr := os.Stat(abs)
	exists := statErr == nil
	if statErr != nil && !errors.Is(statErr, fs.ErrNotExist) {
		return nil, fmt.Errorf("cannot open the conversation store %s: %w", abs, statErr)
	}
	if exists && info.IsDir() {
		return nil, fmt.Errorf("cannot open the conversation store %s: it is a directory", abs)
	}
	if !exists {
		if opts.ReadOnly {
			return nil, fmt.Errorf("there is no conversation store at %s yet: %w", abs, fs.ErrNotExist)
		}
		if err := s.create(); err != nil {
			return nil, err
		}
	} else if s.readOnly == nil {
		if reason := notWritable(abs); reason != "" {
			s.readOnly = &ReadOnlyError{Path: abs, Reason: reason}
		}
	}

	reason, inUse, oneHeaderBad := precheck(abs, opts.Timeout)
	if inUse {
		return nil, inUseError(abs, false)
	}
	if reason != "" {
		return nil, s.moveAside(reason)
	}
	db, err := s.openBolt()
	if err != nil {
		return nil, err
	}
	s.db = db
	if oneHeaderBad && s.readOnly == nil {
		// bbolt opened it from the other header page; an empty commit
		// rewrites the damaged one (it is the one the next commit writes).
		if err := s.update(func(*bbolt.Tx) error { return nil }); err != nil {
			closeBolt(s.db)
			return nil, fmt.Errorf("cannot repair the damaged header page of %s: %w", abs, err)
		}
	}
	if err := s.checkSchema(); err != nil {
		return nil, err
	}
	if opts.Verify {
		if err := s.verify(); err != nil {
			return nil, err
		}
	}
	s.recoverInterrupted() // purge.go
	if s.readOnly == nil {
		writePIDFile(abs, opts.Holder)
	}
	return s, nil
}

// Path is the absolute path of the store file.
func (s *Store) Path() string { return s.path }

// ReadOnlyReason is nil when the store can be written, or the *ReadOnlyError
// every write will return. The history screen shows it as a banner.
func (s *Store) ReadOnlyReason() error { return s.readOnly }

// Close releases the file. Safe to call twice.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed != nil {
		return nil
	}
	s.closed = ErrClosed
	err := closeBolt(s.db)
	if s.readOnly == nil {
		removePIDFile(s.path)
	}
	return err
}

// create makes a new store atomically: it is built under a temporary name and
// renamed into place, so a crash never leaves a half-made file at path.
func (s *Store) create() error {
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("cannot create the folder for the conversation store %s: %w", dir, err)
	}
	tmp := fmt.Sprintf("%s.new-%d", s.path, os.Getpid())
	_ = os.Remove(tmp)
	db, err := bbolt.Open(tmp, fileMode, &bbolt.Options{Timeout: s.opts.Timeout, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("cannot create the conversation store %s: %w", s.path, diskErr(s.path, err))
	}
	err = db.Update(migrate)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, fileMode) // whatever the umask was
	}
	if err == nil {
		err = os.Rename(tmp, s.path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("cannot create the conversation store %s: %w", s.path, diskErr(s.path, err))
	}
	syncDir(dir)
	return nil
}

// notWritable says why the file or its folder cannot be written, or "".
func notWritable(path string) string {
	if err := unix.Access(path, unix.W_OK); err != nil {
		return "the file is not writable"
	}
	if err := unix.Access(filepath.Dir(path), unix.W_OK); err != nil {
		return "its folder is not writable"
	}
	return ""
}

func (s *Store) openBolt() (db *bbolt.DB, err error) {
	bopts := &bbolt.Options{Timeout: s.opts.Timeout, ReadOnly: s.readOnly != nil, FreelistType: bbolt.FreelistMapType}
	defer faultsPanic()()
	defer func() {
		if r := recover(); r != nil {
			// A damaged file can panic inside bbolt.Open. The lock it took is
			// on this inode, which moveAside renames away, so it cannot block
			// the new store.
			db = nil
			err = s.moveAside(fmt.Sprint("bbolt: ", r))
		}
	}()
	db, err = bbolt.Open(s.path, fileMode, bopts)
	if err == nil {
		return db, nil
	}
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, inUseError(s.path, false)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return nil, s.moveAside(err.Error())
	case !bopts.ReadOnly && (errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)):
		s.readOnly = &ReadOnlyError{Path: s.path, Reason: "the file is not writable"}
		return s.openBolt()
	}
	return nil, fmt.Errorf("cannot open the conversation store %s: %w", s.path, err)
}

// moveAside renames a damaged file to NAME.corrupt-TIMESTAMP, never
// overwriting an earlier one, and returns the *CorruptError to show.
func (s *Store) moveAside(reason string) error {
	if s.db != nil {
		closeBolt(s.db)
		s.db = nil
	}
	stamp := s.opts.Now().UTC().Format("20060102T150405Z")
	base := s.path + ".corrupt-" + stamp
	for i := 0; i < 1000; i++ {
		target := base
		if i > 0 {
			target = fmt.Sprintf("%s-%d", base, i)
		}
		// Link fails if target exists, so nothing is ever overwritten.
		if err := os.Link(s.path, target); err != nil {
			if errors.Is(err, fs.ErrExist) {
				continue
			}
			break
		}
		if err := os.Remove(s.path); err != nil {
			_ = os.Remove(target)
			break
		}
		syncDir(filepath.Dir(s.path))
		return &CorruptError{Path: s.path, MovedTo: target, Reason: reason}
	}
	return &CorruptError{Path: s.path, Reason: reason}
}

// closeBolt closes db without ever hanging: after a panic inside bbolt its
// locks may be held, so give up after a second and let the GC have it.
func closeBolt(db *bbolt.DB) error {
	if db == nil {
		return nil
	}
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("closing a damaged store: %v", r)
			}
		}()
		done <- db.Close()
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Second):
		return nil
	}
}

// precheck reads the two bbolt meta pages the way bbolt does, and reports a
// file that is empty, not bbolt, or truncated below what its meta page
// claims. bbolt itself panics on a truncated file, so this runs first.
//
// It reads under a shared flock, so that it never sees a writer's half-written
// meta page and never moves aside a file another tsunagu is writing: if a
// writer holds the file for longer than timeout, it reports inUse instead.
func precheck(path string, timeout time.Duration) (reason string, inUse, oneHeaderBad bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false, false // let bbolt.Open report it
	}
	defer f.Close() // also releases the lock
	deadline := time.Now().Add(timeout)
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_SH|unix.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, unix.EWOULDBLOCK) || time.Now().After(deadline) {
			return "", errors.Is(err, unix.EWOULDBLOCK), false
		}
		time.Sleep(50 * time.Millisecond)
	}
	reason, oneHeaderBad = precheckLocked(f)
	return reason, false, oneHeaderBad
}

// precheckLocked says why f is not a store bbolt can open safely, or "";
// oneHeaderBad reports a store bbolt opens from its other header page.
func precheckLocked(f *os.File) (reason string, oneHeaderBad bool) {
	info, err := f.Stat()
	if err != nil {
		return "", false
	}
	size := info.Size()
	if size == 0 {
		return "the file is empty", false
	}
	head := make([]byte, 1<<17+128)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	// bbolt keeps two meta pages and opens from the newest valid one, so one
	// damaged meta page is not damage to the store: the next commit rewrites
	// it. Only both damaged (or a file that is not bbolt) is.
	m0, tx0, ok0 := metaAt(head, 0)
	m1, tx1, ok1 := secondMeta(head, m0, ok0)
	best := m0
	switch {
	case !ok0 && !ok1:
		return "this is not a tsunagu store, or both of its header pages are damaged", false
	case !ok0 || (ok1 && tx1 > tx0):
		best = m1
	}
	if int64(best.pgid)*int64(best.pageSize) > size {
		return fmt.Sprintf("the file is truncated (%d of %d bytes)", size, int64(best.pgid)*int64(best.pageSize)), false
	}
	return "", !ok0 || !ok1
}

// secondMeta finds the second meta page: one page size after the first, or,
// when the first is damaged, at whichever power-of-two page size holds a
// valid meta page of that size (as bbolt looks for it).
func secondMeta(head []byte, m0 metaFields, ok0 bool) (metaFields, uint64, bool) {
	if ok0 {
		return metaAt(head, int(m0.pageSize))
	}
	for ps := 1024; ps <= 1<<16; ps <<= 1 {
		if m, tx, ok := metaAt(head, ps); ok && int(m.pageSize) == ps {
			return m, tx, true
		}
	}
	return metaFields{}, 0, false
}

type metaFields struct {
	pageSize uint32
	pgid     uint64
}

const boltMagic = 0xED0CDAED

// metaAt decodes a bbolt meta page at offset off, checking magic, version and
// checksum (bbolt's layout: 16-byte page header, then the meta struct).
func metaAt(b []byte, off int) (metaFields, uint64, bool) {
	const hdr, metaLen = 16, 64
	if off < 0 || off+hdr+metaLen > len(b) {
		return metaFields{}, 0, false
	}
	m := b[off+hdr : off+hdr+metaLen]
	le := binary.NativeEndian
	if le.Uint32(m[0:]) != boltMagic || le.Uint32(m[4:]) != 2 {
		return metaFields{}, 0, false
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return metaFields{}, 0, false
	}
	ps := le.Uint32(m[8:])
	if ps < 1024 || ps > 1<<20 {
		return metaFields{}, 0, false
	}
	return metaFields{pageSize: ps, pgid: le.Uint64(m[40:])}, le.Uint64(m[48:]), true
}

func (s *Store) verify() error {
	var problems []string
	err := s.view(func(tx *bbolt.Tx) error {
		for e := range tx.Check() {
			problems = append(problems, e.Error())
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return s.shut(fmt.Sprintf("consistency check: %s", problems[0]))
	}
	return nil
}

// shut closes a store found damaged while open and moves the file aside.
func (s *Store) shut(reason string) error {
	err := s.moveAside(reason)
	s.closed = err
	return err
}

// view runs a read transaction, turning a panic from a damaged file into a
// *CorruptError.
func (s *Store) view(fn func(tx *bbolt.Tx) error) error {
	return s.guarded(false, fn)
}

// update runs one read-write transaction: committed and fsynced when it
// returns nil. ENOSPC and EFBIG become *DiskFullError; the transaction was
// rolled back so the file stays valid.
func (s *Store) update(fn func(tx *bbolt.Tx) error) error {
	if s.readOnly != nil {
		return s.readOnly
	}
	return diskErr(s.path, s.guarded(true, fn))
}

// guarded runs a transaction (read-write when write is set) under the
// store's read lock, so Close and the compaction's file swap wait for it,
// and turns a panic from a damaged file into a *CorruptError.
func (s *Store) guarded(write bool, fn func(tx *bbolt.Tx) error) error {
	if s.shared {
		return s.sharedView(fn) // never write: update refuses a read-only store first
	}
	s.mu.RLock()
	if s.closed != nil {
		err := s.closed
		s.mu.RUnlock()
		return err
	}
	var panicked any
	err := func() (err error) {
		defer faultsPanic()()
		defer func() {
			if r := recover(); r != nil {
				panicked = r
			}
		}()
		if write {
			return s.db.Update(fn)
		}
		return s.db.View(fn)
	}()
	s.mu.RUnlock()
	if panicked != nil {
		return s.fail(panicked)
	}
	return err
}

func (s *Store) fail(panicked any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed != nil {
		return s.closed
	}
	return s.shut(fmt.Sprint("bbolt: ", panicked))
}

func diskErr(path string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EFBIG) ||
		strings.Contains(err.Error(), syscall.ENOSPC.Error()) || strings.Contains(err.Error(), syscall.EFBIG.Error()) {
		return &DiskFullError{Path: path, Err: err}
	}
	return err
}

// --- pid sidecar -----------------------------------------------------------

// The writer records its pid next to the store so that a second process can
// name it in the "in use" message. It is only read when the lock is taken,
// so a stale file left by kill -9 is never believed.

func pidPath(path string) string { return path + ".pid" }

// The sidecar holds the pid on its first line and the holder (Options.Holder)
// on the second.
func writePIDFile(path, holder string) {
	tmp := pidPath(path) + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(os.Getpid())+"\n"+holderLine(holder)+"\n"), fileMode); err == nil {
		_ = os.Rename(tmp, pidPath(path))
	}
}

func removePIDFile(path string) {
	b, err := os.ReadFile(pidPath(path))
	if first, _, _ := bytes.Cut(b, []byte("\n")); err == nil && string(bytes.TrimSpace(first)) == strconv.Itoa(os.Getpid()) {
		_ = os.Remove(pidPath(path))
	}
}

// readHolder reads the writer's pid and holder from the sidecar; 0 and ""
// when it is missing or names a process that is gone.
func readHolder(path string) (int, string) {
	b, err := os.ReadFile(pidPath(path))
	if err != nil {
		return 0, ""
	}
	first, rest, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(string(bytes.TrimSpace(first)))
	if err != nil || pid <= 0 {
		return 0, ""
	}
	// A pid file left by a killed writer must not name a process that is
	// gone (the holder may then be a reader, which writes none).
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return 0, ""
	}
	holder, _, _ := bytes.Cut(rest, []byte("\n"))
	return pid, holderLine(string(holder))
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
