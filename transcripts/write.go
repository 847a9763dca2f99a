package transcripts

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"go.etcd.io/bbolt"
)

// --- keys ------------------------------------------------------------------

// timeKey orders times newest first: the sign bit is flipped so negative
// Unix times sort below positive ones, then every bit is inverted.
func timeKey(t interface{ UnixNano() int64 }) []byte {
	return u64(^(uint64(t.UnixNano()) ^ 1<<63))
}

func byTimeKey(h *header) []byte {
	return append(timeKey(h.StartedAt), h.ID...)
}

// byTimeRow is the value of a by_time key: what List filters on without
// decoding the JSON header. status code, flags (bit 0: escalated), rating,
// then the topic.
func byTimeRow(h *header) []byte {
	flags := byte(0)
	if h.Escalated {
		flags |= 1
	}
	row := []byte{statusCode(h.Status), flags, byte(h.Rating)}
	return append(row, h.Topic...)
}

func entryPrefix(id string) []byte { return append([]byte(id), 0) }

func entryKey(id string, seq uint64) []byte { return append(entryPrefix(id), u64(seq)...) }

// --- writers -------------------------------------------------------------------

// writer puts keys into the root buckets. txWriter writes at once; the
// sortedWriter of big imports gathers a batch and writes each bucket's keys
// in ascending order, because bbolt keeps a transaction's nodes unsplit in
// memory and inserting into the middle of a huge node moves all of it
// (quadratic), while appending in order does not.
type writer interface {
	put(bucket, k, v []byte) error
	addPosting(key, posting []byte) error // into the terms block at key
}

type txWriter struct{ tx *bbolt.Tx }

func (w txWriter) put(bucket, k, v []byte) error { return w.tx.Bucket(bucket).Put(k, v) }

func (w txWriter) addPosting(key, p []byte) error {
	return addPostings(w.tx.Bucket(bucketTerms), key, [][]byte{p})
}

type kv struct{ k, v []byte }

type sortedWriter struct {
	tx       *bbolt.Tx
	puts     map[string][]kv
	postings map[string][][]byte // terms block key -> postings to add
}

func newSortedWriter(tx *bbolt.Tx) *sortedWriter {
	return &sortedWriter{tx: tx, puts: map[string][]kv{}, postings: map[string][][]byte{}}
}

func (w *sortedWriter) addPosting(key, p []byte) error {
	w.postings[string(key)] = append(w.postings[string(key)], p)
	return nil
}

func (w *sortedWriter) put(bucket, k, v []byte) error {
	w.puts[string(bucket)] = append(w.puts[string(bucket)], kv{k, v})
	return nil
}

func (w *sortedWriter) flush() error {
	for name, puts := range w.puts {
		slices.SortFunc(puts, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
		b := w.tx.Bucket([]byte(name))
		b.FillPercent = importFillPercent
		for _, p := range puts {
			if err := b.Put(p.k, p.v); err != nil {
				return err
			}
		}
	}
	clear(w.puts)
	keys := make([]string, 0, len(w.postings))
	for k := range w.postings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	tb := w.tx.Bucket(bucketTerms)
	tb.FillPercent = importFillPercent
	for _, k := range keys {
		if err := addPostings(tb, []byte(k), w.postings[k]); err != nil {
			return err
		}
	}
	clear(w.postings)
	return nil
}

// importFillPercent packs pages fuller than bbolt's default 0.5 when keys
// arrive in order, as they do in an import.
const importFillPercent = 0.9

// --- header and index upkeep -------------------------------------------------

func putHeader(w writer, h *header) error {
	h.V = 1
	b, err := marshalJSON(h)
	if err != nil {
		return err
	}
	if err := w.put(bucketConversations, []byte(h.ID), seal([]byte(h.ID), b)); err != nil {
		return err
	}
	return w.put(bucketByTime, byTimeKey(h), byTimeRow(h))
}

func getHeader(tx *bbolt.Tx, id string) (*header, error) {
	v := tx.Bucket(bucketConversations).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return readHeader([]byte(id), v)
}

func putTerms(w writer, h *header, terms map[string]struct{}) error {
	p := posting(h)
	for t := range terms {
		if err := w.addPosting(blockKey(t, h.StartedAt), p); err != nil {
			return err
		}
	}
	return nil
}

// headerTerms indexes what a conversation is found by besides its text.
func headerTerms(h *header, into map[string]struct{}) {
	indexTerms(h.ID, into)
	indexTerms(h.Customer.Name, into)
	indexTerms(h.OrderID, into)
	indexTerms(h.Topic, into)
}

func entryTerms(e *Entry, into map[string]struct{}) {
	indexTerms(e.Text, into)
	indexTerms(e.Author, into)
	if e.Meta != nil {
		indexTerms(e.Meta.Operator, into)
	}
}

const previewRunes = 80

// applyEntry updates the header's counters and status for one new entry.
func applyEntry(h *header, e *Entry) {
	h.Entries++
	if e.At.After(h.LastAt) {
		h.LastAt = e.At
	}
	if h.Preview == "" && e.Role == RoleCustomer {
		h.Preview = e.Text
		if utf8.RuneCountInString(h.Preview) > previewRunes {
			h.Preview = string([]rune(h.Preview)[:previewRunes]) + "…"
		}
	}
	switch e.Event {
	case EventEscalated, EventTransfer:
		h.Escalated = true
		if h.Status == StatusOpen {
			h.Status = StatusEscalated
		}
	case EventRating:
		if e.Meta != nil && e.Meta.Rating > 0 && e.Meta.Rating < 256 {
			h.Rating = e.Meta.Rating
		}
	case EventClosed:
		if h.Status == StatusOpen || h.Status == StatusEscalated {
			h.Status = StatusClosed
		}
	}
}

// rebuildHeaderStats recomputes the counters from the entries (migrations).
func rebuildHeaderStats(h *header, entries []Entry) {
	status := h.Status
	h.Entries, h.LastAt, h.Escalated, h.Rating, h.Preview = 0, h.StartedAt, false, 0, ""
	for i := range entries {
		applyEntry(h, &entries[i])
	}
	if status != "" {
		h.Status = status
	}
}

// loadEntries reads a conversation's entries, checking each one's checksum
// (a *DamagedError names the first that fails).
func loadEntries(tx *bbolt.Tx, id string) ([]Entry, error) {
	var out []Entry
	prefix := entryPrefix(id)
	c := tx.Bucket(bucketEntries).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		e, err := readEntry(id, len(out)+1, k, v)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// loadConversation reads a whole conversation, checking every record and
// that no entry is missing. legacy (legacyRecords) applies the faithful fix
// of version 3 in memory, for a reader of an older file.
func loadConversation(tx *bbolt.Tx, id string, legacy bool) (Conversation, error) {
	h, err := getHeader(tx, id)
	if errors.Is(err, ErrNotFound) {
		// Entries without a header: the header's key was damaged.
		prefix := entryPrefix(id)
		if k, _ := tx.Bucket(bucketEntries).Cursor().Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
			return Conversation{}, &DamagedError{ID: id, What: "its record is missing (its key in the file is probably damaged)"}
		}
	}
	if err != nil {
		return Conversation{}, err
	}
	entries, err := loadEntries(tx, id)
	if err != nil {
		return Conversation{}, err
	}
	if len(entries) != h.Entries {
		return Conversation{}, entriesMissing(id, len(entries), h.Entries)
	}
	if legacy {
		entries = faithfulEntries(entries, h.Customer.Name)
	}
	return h.conversation(entries), nil
}

// --- writes ------------------------------------------------------------------

// CreateConversation stores a new conversation and any entries it already
// has, in one committed transaction. An empty ID is filled in
// ("c20261126-100000-1"), a zero StartedAt becomes now, an empty Status open.
// It returns the conversation as stored (cleaned and masked).
func (s *Store) CreateConversation(c Conversation) (Conversation, error) {
	if c.StartedAt.IsZero() {
		c.StartedAt = s.opts.Now()
	}
	var stored Conversation
	err := s.update(func(tx *bbolt.Tx) error {
		if c.ID == "" {
			seq, err := tx.Bucket(bucketConversations).NextSequence()
			if err != nil {
				return err
			}
			c.ID = "c" + c.StartedAt.UTC().Format("20060102-150405") + "-" + strconv.FormatUint(seq, 36)
		}
		var err error
		stored, err = insertConversation(tx, txWriter{tx}, c)
		return err
	})
	return stored, err
}

// insertConversation validates, cleans and stores c with its entries.
// Reads go to tx; writes go through w.
func insertConversation(tx *bbolt.Tx, w writer, c Conversation) (Conversation, error) {
	givenStatus := c.Status
	if c.Status == "" {
		c.Status = StatusOpen
	}
	if err := validateHeader(&c); err != nil {
		return c, err
	}
	c = cleanHeader(c)
	if tx.Bucket(bucketConversations).Get([]byte(c.ID)) != nil {
		return c, fmt.Errorf("%w: %s", ErrExists, c.ID)
	}
	c.Entries = faithfulEntries(c.Entries, c.Customer.Name)
	h := &header{ID: c.ID, StartedAt: c.StartedAt, Lang: c.Lang, Customer: c.Customer, OrderID: c.OrderID,
		Topic: c.Topic, Channel: c.Channel, Status: c.Status, Extra: c.Extra, LastAt: c.StartedAt}
	terms := map[string]struct{}{}
	headerTerms(h, terms)
	entries := tx.Bucket(bucketEntries)
	for i := range c.Entries {
		if err := validateEntry(&c.Entries[i]); err != nil {
			return c, fmt.Errorf("entry %d: %w", i+1, err)
		}
		c.Entries[i] = cleanEntry(c.Entries[i])
		e := &c.Entries[i]
		seq, err := entries.NextSequence()
		if err != nil {
			return c, err
		}
		b, err := marshalJSON(e)
		if err != nil {
			return c, err
		}
		key := entryKey(c.ID, seq)
		if err := w.put(bucketEntries, key, seal(key, b)); err != nil {
			return c, err
		}
		applyEntry(h, e)
		entryTerms(e, terms)
	}
	if givenStatus != "" {
		h.Status = givenStatus // a given status wins over what the events imply
	}
	c.Status = h.Status
	if err := putHeader(w, h); err != nil {
		return c, err
	}
	return c, putTerms(w, h, terms)
}

// AppendEntry adds one message or event to a conversation and returns only
// after it is committed and fsynced, so the UI may then mark it saved. One
// bbolt Update per call, never Batch (Batch waits to gather work).
//
// It is idempotent: appending an entry equal to the conversation's last one
// (same time, role, author, text, event and meta) stores nothing and returns
// the existing sequence number, so retrying after an error never duplicates.
// Records stay faithful (faithful.go): a second close event (none since the
// last resumed event) stores nothing and returns the first one's sequence
// number, and a customer author that is the chat's word for the customer
// ("You", 「あなた」) is stored as the customer's name.
func (s *Store) AppendEntry(id string, e Entry) (uint64, error) {
	if err := validateEntry(&e); err != nil {
		return 0, err
	}
	e = cleanEntry(e)
	value, err := marshalJSON(&e)
	if err != nil {
		return 0, err
	}
	var seq uint64
	err = s.update(func(tx *bbolt.Tx) error {
		h, err := getHeader(tx, id)
		if err != nil {
			return err
		}
		if e.Role == RoleCustomer && isCustomerUIWord(e.Author) {
			e.Author = h.Customer.Name
			if value, err = marshalJSON(&e); err != nil {
				return err
			}
		}
		if e.Role == RoleSystem && e.Event == EventClosed {
			if closed, ok := lastClose(tx, id); ok {
				seq = closed
				return nil // closed already: one close event per conversation
			}
		}
		entries := tx.Bucket(bucketEntries)
		// The conversation's last entry is the one before the first key past
		// its prefix.
		c := entries.Cursor()
		var v []byte
		k, _ := c.Seek(entryKey(id, 1<<64-1))
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		if prefix := entryPrefix(id); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8 {
			if last, _, err := unseal(k, v); err == nil && bytes.Equal(last, value) {
				seq = binary.BigEndian.Uint64(k[len(prefix):])
				return nil // a retry of what is already stored
			}
		}
		seq, err = entries.NextSequence()
		if err != nil {
			return err
		}
		key := entryKey(id, seq)
		if err := entries.Put(key, seal(key, value)); err != nil {
			return err
		}
		oldRow := byTimeRow(h)
		applyEntry(h, &e)
		b, err := marshalJSON(h)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketConversations).Put([]byte(id), seal([]byte(id), b)); err != nil {
			return err
		}
		if row := byTimeRow(h); !bytes.Equal(row, oldRow) {
			if err := tx.Bucket(bucketByTime).Put(byTimeKey(h), row); err != nil {
				return err
			}
		}
		terms := map[string]struct{}{}
		entryTerms(&e, terms)
		return putTerms(txWriter{tx}, h, terms)
	})
	return seq, err
}

// AppendMessage is AppendEntry for a plain message.
func (s *Store) AppendMessage(id string, role Role, author, text string) (uint64, error) {
	return s.AppendEntry(id, Entry{At: s.opts.Now(), Role: role, Author: author, Text: text})
}

// SetStatus changes a conversation's status.
func (s *Store) SetStatus(id string, status Status) error {
	if !status.Valid() {
		return fmt.Errorf("%w: unknown status %q", ErrInvalid, status)
	}
	return s.update(func(tx *bbolt.Tx) error {
		h, err := getHeader(tx, id)
		if err != nil {
			return err
		}
		h.Status = status
		return putHeader(txWriter{tx}, h)
	})
}

// CloseConversation marks a conversation closed and records a closed event
// at the store's clock, unless the chat recorded one already (at its own,
// maybe simulated, time): a conversation has one close event (faithful.go).
func (s *Store) CloseConversation(id string) error {
	if _, err := s.AppendEntry(id, Entry{At: s.opts.Now(), Role: RoleSystem, Event: EventClosed}); err != nil {
		return err
	}
	return s.SetStatus(id, StatusClosed)
}
