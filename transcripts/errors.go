package transcripts

import (
	"errors"
	"fmt"
)

// Sentinel errors the UI tests with errors.Is. Each typed error below also
// matches its sentinel, so callers can pick either style.
var (
	// ErrInUse: another process holds the store open for writing.
	ErrInUse = errors.New("the conversation store is in use by another tsunagu")
	// ErrReadOnly: the store was opened read-only (by request, or because the
	// file or its directory is not writable) and a write was attempted.
	ErrReadOnly = errors.New("the conversation store is read-only")
	// ErrCorrupt: the file is damaged or not a tsunagu store. It has been
	// moved aside; CorruptError says where.
	ErrCorrupt = errors.New("the conversation store is damaged")
	// ErrNewerSchema: the file was written by a newer tsunagu.
	ErrNewerSchema = errors.New("the conversation store was written by a newer tsunagu")
	// ErrDiskFull: the disk (or the process's file size limit) is full. The
	// write was rolled back and the file is still valid; retrying later is safe.
	ErrDiskFull = errors.New("the disk is full")
	// ErrNotFound: no conversation (or training session) has that id.
	ErrNotFound = errors.New("no such conversation")
	// ErrExists: a conversation with that id already exists.
	ErrExists = errors.New("a conversation with that id already exists")
	// ErrClosed: the store was closed, or shut itself after finding damage.
	ErrClosed = errors.New("the conversation store is closed")
	// ErrInvalid: a record is missing a required field or has a bad value.
	ErrInvalid = errors.New("invalid record")
	// ErrNeedsUpgrade: a read-only open found a storage version too old to
	// read; one open for writing upgrades it (see Upgrade).
	ErrNeedsUpgrade = errors.New("the conversation store must be upgraded before it can be read")
)

// InUseError says which process holds the store, when that can be known.
type InUseError struct {
	Path   string
	PID    int    // 0 when unknown
	Holder string // what holds it, such as HolderChat; "" when unknown
	// Reading is set when a reader was refused: only a writer holds the
	// file alone, so the holder is a writer.
	Reading bool
}

func (e *InUseError) Error() string {
	who := e.Holder
	if who == "" {
		who = "another tsunagu"
	}
	if e.PID > 0 {
		who += fmt.Sprintf(" (pid %d)", e.PID)
	}
	if e.Reading {
		return fmt.Sprintf("%s is in use by %s, which holds the file alone until it ends; try again then", e.Path, who)
	}
	return fmt.Sprintf("%s is in use by %s", e.Path, who)
}

// Is makes errors.Is(err, ErrInUse) true.
func (e *InUseError) Is(target error) bool { return target == ErrInUse }

// CorruptError says where a damaged file was moved.
type CorruptError struct {
	Path    string // where the store was
	MovedTo string // where the damaged file is now ("" if it could not be moved)
	Reason  string // short, for logs: what was wrong
	// Kept is set when a read-only open found the damage: it never moves or
	// changes the file, so the file is still at Path as it was.
	Kept bool
}

func (e *CorruptError) Error() string {
	if e.Kept {
		return fmt.Sprintf("%s is damaged or is not a tsunagu store (%s); reading left it as it is, and the next chat will move it aside and start a new store", e.Path, e.Reason)
	}
	if e.MovedTo == "" {
		return fmt.Sprintf("%s is damaged (%s) and could not be moved aside", e.Path, e.Reason)
	}
	return fmt.Sprintf("%s was damaged (%s); it was moved to %s and a new empty store was started", e.Path, e.Reason, e.MovedTo)
}

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// SchemaError reports a file written by a newer version of the schema.
type SchemaError struct {
	Path          string
	FileVersion   uint64
	KnownVersions uint64
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("%s uses storage version %d but this tsunagu knows only up to %d; update tsunagu to write to it", e.Path, e.FileVersion, e.KnownVersions)
}

// Is makes errors.Is(err, ErrNewerSchema) true.
func (e *SchemaError) Is(target error) bool { return target == ErrNewerSchema }

// ReadOnlyError explains why a store is read-only.
type ReadOnlyError struct {
	Path   string
	Reason string // e.g. "the file is not writable"
}

func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("cannot save to %s: %s", e.Path, e.Reason)
}

// Is makes errors.Is(err, ErrReadOnly) true.
func (e *ReadOnlyError) Is(target error) bool { return target == ErrReadOnly }

// DiskFullError wraps the system error behind a failed write.
type DiskFullError struct {
	Path string
	Err  error
}

func (e *DiskFullError) Error() string {
	return fmt.Sprintf("cannot save to %s: the disk is full; nothing was lost and saving can be retried", e.Path)
}

// Is makes errors.Is(err, ErrDiskFull) true.
func (e *DiskFullError) Is(target error) bool { return target == ErrDiskFull }

// Unwrap gives the system error (ENOSPC or EFBIG).
func (e *DiskFullError) Unwrap() error { return e.Err }

// UpgradeError says that a read-only open found a store too old to read.
type UpgradeError struct {
	Path        string
	FileVersion uint64
}

func (e *UpgradeError) Error() string {
	return fmt.Sprintf("%s uses the older storage version %d and must be upgraded once before it can be read, which needs it opened for writing (a chat does it)", e.Path, e.FileVersion)
}

// Is makes errors.Is(err, ErrNeedsUpgrade) true.
func (e *UpgradeError) Is(target error) bool { return target == ErrNeedsUpgrade }
