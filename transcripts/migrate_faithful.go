package transcripts

import (
	"bytes"
	"errors"

	"go.etcd.io/bbolt"
)

// faithfulVersion is the storage version whose migration, faithfulRecords,
// makes existing records faithful (faithful.go). Reading an older file
// applies the same fix in memory.
const faithfulVersion = 3

// faithfulRecords is version 3: it removes duplicate close events (keeping
// the first of each run) and replaces customer authors stored as the UI
// word "You"/「あなた」 with the customer's name, or none. The headers'
// counters and the search index follow. A damaged conversation (a record
// that fails its checksum or does not decode) is left as it is, for Check
// to report: damage in one conversation never stops an upgrade.
func faithfulRecords(tx *bbolt.Tx) error {
	eb := tx.Bucket(bucketEntries)
	// Walk every entry once, in key order (a conversation's entries are
	// together and in order), and note what changes; apply afterwards, since
	// bbolt cursors must not see their bucket change.
	type change struct {
		key   []byte
		entry *Entry // nil: delete
	}
	var changes []change
	var ids []string          // conversations with changes, in order
	skip := map[string]bool{} // damaged conversations, left alone
	var current string
	var closes closeTracker
	c := eb.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			continue
		}
		if id := string(k[:i]); id != current {
			current, closes = id, closeTracker{}
		}
		if !rawMayNeedFix(v) {
			continue
		}
		js, _, err := unseal(k, v)
		var e Entry
		if err == nil {
			e, err = decodeEntry(js)
		}
		if err != nil {
			skip[current] = true
			continue
		}
		var ch *change
		switch {
		case closes.duplicate(&e):
			ch = &change{key: bytes.Clone(k)}
		case e.Role == RoleCustomer && isCustomerUIWord(e.Author):
			ch = &change{key: bytes.Clone(k), entry: &e}
		}
		if ch != nil {
			changes = append(changes, *ch)
			if len(ids) == 0 || ids[len(ids)-1] != current {
				ids = append(ids, current)
			}
		}
	}
	if len(changes) == 0 {
		return nil
	}

	// Terms before, per changed conversation, to drop the ones that go.
	before := map[string]map[string]struct{}{}
	headers := map[string]*header{}
	kept := ids[:0]
	for _, id := range ids {
		if skip[id] {
			continue
		}
		h, err := getHeader(tx, id)
		var entries []Entry
		if err == nil {
			entries, err = loadEntries(tx, id)
		}
		if errors.Is(err, ErrDamaged) || errors.Is(err, ErrNotFound) {
			skip[id] = true // damaged, or entries without a header: left for Check
			continue
		}
		if err != nil {
			return err
		}
		headers[id], before[id] = h, conversationTerms(h, entries)
		kept = append(kept, id)
	}
	ids = kept
	for _, ch := range changes {
		h := headers[string(ch.key[:bytes.IndexByte(ch.key, 0)])]
		if h == nil {
			continue // a damaged conversation, left alone
		}
		if ch.entry == nil {
			if err := eb.Delete(ch.key); err != nil {
				return err
			}
			continue
		}
		ch.entry.Author = h.Customer.Name
		b, err := marshalJSON(ch.entry)
		if err != nil {
			return err
		}
		if err := eb.Put(ch.key, seal(ch.key, b)); err != nil {
			return err
		}
	}
	tb := tx.Bucket(bucketTerms)
	for _, id := range ids {
		h := headers[id]
		entries, err := loadEntries(tx, id)
		if err != nil {
			return err
		}
		rebuildHeaderStats(h, entries)
		if err := putHeader(txWriter{tx}, h); err != nil {
			return err
		}
		after := conversationTerms(h, entries)
		p := posting(h)
		for t := range before[id] {
			if _, kept := after[t]; !kept {
				if err := removePosting(tb, blockKey(t, h.StartedAt), p); err != nil {
					return err
				}
			}
		}
		for t := range after {
			if _, had := before[id][t]; !had {
				if err := addPostings(tb, blockKey(t, h.StartedAt), [][]byte{p}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// conversationTerms is every search term a conversation is indexed under.
func conversationTerms(h *header, entries []Entry) map[string]struct{} {
	terms := map[string]struct{}{}
	headerTerms(h, terms)
	for i := range entries {
		entryTerms(&entries[i], terms)
	}
	return terms
}

// legacyRecords reports whether the file has not had faithfulRecords yet
// (a reader of an older file fixes what it reads in memory).
func legacyRecords(tx *bbolt.Tx) bool {
	v, err := fileVersion(tx)
	return err == nil && v < faithfulVersion
}
