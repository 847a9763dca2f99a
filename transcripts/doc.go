// Package transcripts owns tsunagu's conversation store: one bbolt file
// holding every conversation, its messages and events, the indexes that list
// and search them, and trainees' training sessions. It also owns the record
// format of the product contract, export (Markdown, JSON, JSON Lines), import, card
// number masking (MaskCards, MaskCardDetails), deletion that really removes
// text, and the checksums and checks that find bit rot.
//
// # API
//
//	s, err := transcripts.Open(path, transcripts.Options{Timeout: time.Second, Holder: transcripts.HolderChat})
//	r, err := transcripts.OpenReadOnly(path, transcripts.Options{})   // readers side by side
//	err = r.WithWriter("a history delete", func(w *transcripts.Store) error { return w.Delete(id) })
//	c, err := s.CreateConversation(transcripts.Conversation{Lang: "ja", Customer: ..., Topic: ...})
//	seq, err := s.AppendEntry(c.ID, transcripts.Entry{At: now, Role: transcripts.RoleCustomer, Text: "..."})
//	err = s.SetStatus(c.ID, transcripts.StatusClosed) // or CloseConversation
//	page, err := s.List(transcripts.Filter{Status: ..., Topic: ..., From: ..., Escalated: true}, page.Next, 20)
//	conv, err := s.Load(id)
//	res, err := s.Search("返品", transcripts.Filter{}, 20)
//	err = s.Delete(id)                       // then purges the file (purge.go)
//	err = s.ExportLang(w, transcripts.FormatMarkdown, "ja", ids...) // Export: English; ExportFile(Lang) writes atomically, 0600
//	rep, err := s.ExportAll(w, transcripts.FormatJSONLines, transcripts.ExportOptions{SkipDamaged: true})
//	rep, err := r.Check()                    // every page, record and checksum; changes nothing (readers too)
//	rep, err := s.Import(r)                  // JSON Lines
//	id, err := s.SaveTraining(transcripts.TrainingSession{...}); list, err := s.ListTraining(trainee, 0)
//
// Every write is one bbolt Update, committed and fsynced before it returns,
// so a caller may mark a message "saved" as soon as AppendEntry returns nil.
// Batch is never used: it waits to gather work. AppendEntry is idempotent for
// a retried identical entry. Everything returned is copied out of the
// transaction. Stored text is cleaned first: invalid UTF-8 becomes U+FFFD and
// card numbers are masked (MaskCards), with a CVV or expiry next to them, in
// messages, names, ids, packets and kept unknown fields alike, so they never
// reach the file or the index. MaskCardDetails(text) also reports whether it
// found one.
//
// # Integrity
//
// Every record (header, entry, training session) is stored with a CRC-32C of
// its key and JSON (checksum.go) and checked on every read; a header counts
// its entries, so a lost one is noticed. Damage is a *DamagedError
// (ErrDamaged) naming the conversation; nothing else is affected, and List
// shows the conversation's row with Summary.Damaged set. Transactions run
// with debug.SetPanicOnFault, so a read past the memory map is an error, not
// a crash. ExportAll and Check read the file through their own checking
// reader (rawread.go) instead of bbolt's, which trusts its pages: on any
// damage they neither crash nor hang nor return changed text. ExportAll
// stops at the first damaged conversation with an *ExportStoppedError, or
// with SkipDamaged writes every other one and lists it.
//
// # Errors
//
// Open and the methods return errors the UI can test with errors.Is / As:
// ErrInUse (*InUseError, with the writer's pid from the NAME.pid sidecar),
// ErrReadOnly (*ReadOnlyError; Open falls back to read-only when the file
// or its folder is not writable, see ReadOnlyReason), ErrCorrupt
// (*CorruptError; a writer moved the damaged file to NAME.corrupt-TIMESTAMP,
// never overwriting, and opening again starts an empty store; a reader left
// it as it was: Kept), ErrNeedsUpgrade (*UpgradeError, readers only; see
// Upgrade), ErrNewerSchema
// (*SchemaError), ErrDiskFull (*DiskFullError: ENOSPC or EFBIG, the
// transaction was rolled back, the file is valid, retry later), ErrNotFound,
// ErrExists, ErrInvalid, ErrClosed, ErrDamaged (*DamagedError,
// *ExportStoppedError). Delete adds *DeleteFailedError (disk full, nothing
// deleted) and *PurgePendingError (deleted, but its text is wiped only at
// the next open). Panics inside bbolt (damaged pages) are recovered around
// Open and every transaction; the store then shuts and moves the file
// aside. Nothing here prints a stack trace.
//
// # One writer, many readers
//
// bbolt's flock makes a read-write opener exclusive. A chat keeps its store
// open for its whole run (Options.Holder = HolderChat names it in others'
// errors); a second writer gets ErrInUse within Options.Timeout (1s by
// default) and never hangs. OpenReadOnly (or Open with ReadOnly) gives a
// reader that opens the file under bbolt's shared lock for each read only,
// so readers never lock each other out, idle readers never lock a writer
// out, and a reader takes the write lock briefly with WithWriter (a delete)
// or OpenWriter (a resumed chat). A reader never creates, migrates, repairs
// or moves aside a file; see readonly.go.
//
// # Buckets
//
// Keys are bytes; "BE" is a big-endian uint64; ^t is a time as a big-endian
// uint64 with the sign bit flipped and every bit inverted, so newer sorts first.
//
//	meta/
//	    schema_version          -> BE version (see migrations in schema.go)
//	    purge_pending           -> present while a delete's purge is owed
//	    seal_from               -> present while records without checksums
//	                               may remain: the last conversation sealed
//	conversations/
//	    <id>                    -> JSON header: the conversation without entries,
//	                               plus counters (entries, last_at, escalated,
//	                               rating, preview) and kept unknown fields
//	entries/
//	    <id> 0x00 <BE seq>      -> JSON Entry (seq from the bucket's NextSequence,
//	                               so one conversation's entries iterate in order)
//	by_time/                    (List: newest first, filters without JSON)
//	    <^started_at> <id>      -> status code, flags (1: escalated), rating, topic
//	terms/                      (Search; written in the same transaction as the entry)
//	    <term> 0x00 <^hour started> -> postings: [len byte][^started_at id]...,
//	                               sorted, one block per term and hour
//	training/
//	    <BE seq>                -> JSON TrainingSession
//
// Header, entry and training values are sealed: 0xC1, then CRC-32C(key ||
// json) big-endian, then the JSON (records written before version 4 may
// still be the JSON alone until a writer seals them).
//
// Ids never contain 0x00 or control characters, and terms never contain
// 0x00, so the separators are unambiguous.
//
// # Schema versions
//
// The version lives in meta/schema_version. Open runs every missing step of
// the ordered migrations list in one transaction (a fresh file runs them
// all); a file from a newer tsunagu opens read-only (reading) or is refused
// (writing). Version 1 holds the records; version 2 adds by_time and terms,
// built from the records; version 3 makes the records faithful (one close
// event per conversation, customer authors as names, never "You"; see
// faithful.go); version 4 adds checksums, sealed by the next writer in
// transactions of 2,000 conversations (seal_from). A read-only open never
// migrates: it reads version 2 as if it had version 3 (fixing what it reads
// in memory), reads records without checksums as they are, and asks for a
// write open (Upgrade) for version 1.
//
// # After a crash
//
// A writer's Open removes NAME.compact-* and dead processes' NAME.new-PID
// copies, seals what is left unsealed, finishes a purge that was owed, and
// removes the .NAME.tmp-PID-* files of exports (listed in NAME.exports)
// whose process died. A read-only open leaves all of them for the next
// writer: it changes nothing on disk.
package transcripts
