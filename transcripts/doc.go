// Package transcripts owns tsunagu's conversation store: one bbolt file
// holding every conversation, its messages and events, the indexes that list
// and search them, and trainees' training sessions. It also owns the record
// format of SPEC section 8, export (Markdown, JSON, JSON Lines), import, card
// number masking (MaskCards) and deletion that really removes text.
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
//	err = s.Delete(id)                       // then compacts the file
//	err = s.Export(w, transcripts.FormatMarkdown, ids...) // ExportFile writes atomically, 0600
//	rep, err := s.Import(r)                  // JSON Lines
//	id, err := s.SaveTraining(transcripts.TrainingSession{...}); list, err := s.ListTraining(trainee, 0)
//
// Every write is one bbolt Update, committed and fsynced before it returns,
// so a caller may mark a message "saved" as soon as AppendEntry returns nil.
// Batch is never used: it waits to gather work. AppendEntry is idempotent for
// a retried identical entry. Everything returned is copied out of the
// transaction. Stored text is cleaned first: invalid UTF-8 becomes U+FFFD and
// card numbers are masked (MaskCards), in messages, names, packets and kept
// unknown fields alike, so they never reach the file or the index.
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
// ErrExists, ErrInvalid, ErrClosed. Panics inside bbolt (damaged pages) are
// recovered around Open and every transaction; the store then shuts and moves
// the file aside. Nothing here prints a stack trace.
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
// faithful.go). A read-only open never migrates: it reads version 2 as if it
// had version 3, and asks for a write open (Upgrade) for version 1.
package transcripts
