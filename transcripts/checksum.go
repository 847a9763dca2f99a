package transcripts

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"
	"strings"

	"go.etcd.io/bbolt"
)

// Every record (a conversation header, an entry, a training session) is
// stored sealed: one marker byte, a CRC-32C of the key and the JSON, then the
// JSON. bbolt checks its own page structure but not the bytes inside a value,
// so without this a flipped bit in a message would change its text silently.
//
//	0xC1 | CRC-32C(key || json), big-endian, 4 bytes | json
//
// Records written before checksums (schema version 3 and older) are plain
// JSON and begin with '{'; they still read (read-only opens too, which never
// migrate), and after the version 4 migration the next writer seals them
// all. No single flipped bit turns 0xC1 into '{' or back, so a damaged
// marker is never mistaken for an old record. Covering the key too means a
// record whose key was damaged (so that it seems to belong to another
// conversation, or sits at another place) fails its check as well.
const sealMarker = 0xC1

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func recordSum(key, js []byte) uint32 {
	return crc32.Update(crc32.Checksum(key, castagnoli), castagnoli, js)
}

// seal returns the stored form of the JSON record js kept under key.
func seal(key, js []byte) []byte {
	out := make([]byte, 5, 5+len(js))
	out[0] = sealMarker
	binary.BigEndian.PutUint32(out[1:], recordSum(key, js))
	return append(out, js...)
}

// errSum says why a stored value is not a sound record.
type errSum string

func (e errSum) Error() string { return string(e) }

const (
	errSumMismatch errSum = "fails its checksum"
	errSumMarker   errSum = "has a damaged format marker"
	errSumShort    errSum = "is cut short"
)

// unseal checks a stored value and returns its JSON. The JSON points into v.
// legacy is true for a record written before checksums, which cannot be
// checked.
func unseal(key, v []byte) (js []byte, legacy bool, err error) {
	switch {
	case len(v) == 0:
		return nil, false, errSumShort
	case v[0] == '{':
		return v, true, nil
	case v[0] != sealMarker:
		return nil, false, errSumMarker
	case len(v) < 5:
		return nil, false, errSumShort
	}
	js = v[5:]
	if binary.BigEndian.Uint32(v[1:5]) != recordSum(key, js) {
		return nil, false, errSumMismatch
	}
	return js, false, nil
}

// ErrDamaged: a stored record fails its checksum or is missing. The rest of
// the store is still usable; DamagedError says which conversation.
var ErrDamaged = errors.New("a stored record is damaged")

// DamagedError reports bit rot or other damage found in one conversation
// (or training session). Nothing else in the store is affected.
type DamagedError struct {
	// ID is the conversation's id, or "" when the damaged record is a
	// training session or its key itself is unreadable.
	ID string
	// What says what is wrong, e.g. "entry 3 fails its checksum".
	What string
}

func (e *DamagedError) Error() string {
	if e.ID == "" {
		return "a stored record is damaged: " + e.What
	}
	return fmt.Sprintf("conversation %s is damaged: %s", e.ID, e.What)
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// printableID returns a stored key as an id fit for a message. Keys read
// from a damaged file can be anything: one that is not a valid id is cut to
// 32 characters and quoted, with every control character escaped.
func printableID(k []byte) string {
	if validID(string(k)) == nil {
		return string(k)
	}
	if len(k) > 4*32 {
		k = k[:4*32]
	}
	s := []rune(strings.ToValidUTF8(string(k), "\uFFFD"))
	if len(s) > 32 {
		return strconv.QuoteToASCII(string(s[:32])) + "…"
	}
	return strconv.QuoteToASCII(string(s))
}

// keyHex shows a training session's key (a big-endian number) in hex, cut
// short if damage made it long.
func keyHex(k []byte) string {
	if len(k) > 16 {
		return fmt.Sprintf("%x…", k[:16])
	}
	return fmt.Sprintf("%x", k)
}

// --- the version 4 migration -----------------------------------------------

// sealVersion is the storage version whose migration, markUnsealed, notes
// that records written before checksums may remain. It comes after the
// faithful records of version 3 (migrate_faithful.go).
const sealVersion = faithfulVersion + 1

// keySealFrom in meta says records written before checksums may remain: its
// value is the id of the last conversation sealed ("" before the first).
var keySealFrom = []byte("seal_from")

// sealBatch is how many conversations one sealing transaction rewrites.
var sealBatch = 2000

// markUnsealed is version 4. Sealing every record of a big store in the
// one migration transaction would hold the whole file in memory, so the
// migration only notes that records may lack their checksum; the next
// writer to open the store seals them (sealPending) in transactions of
// sealBatch conversations, noting how far it got, so an interrupted run
// goes on where it stopped. Unsealed records read as before meanwhile.
func markUnsealed(tx *bbolt.Tx) error {
	empty := true
	for _, name := range [][]byte{bucketConversations, bucketEntries, bucketTraining} {
		if k, _ := tx.Bucket(name).Cursor().First(); k != nil {
			empty = false
		}
	}
	if empty {
		return nil // a new store: every record it gets is sealed
	}
	return tx.Bucket(bucketMeta).Put(keySealFrom, []byte{})
}

// sealPending seals every record written before checksums, and makes each
// header's entry count match the entries stored, so that a missing entry
// can be told from then on. It runs when a writer opens the store.
func (s *Store) sealPending() error {
	pending := false
	if err := s.view(func(tx *bbolt.Tx) error {
		pending = tx.Bucket(bucketMeta).Get(keySealFrom) != nil
		return nil
	}); err != nil || !pending {
		return err // most opens: nothing to seal, and no write
	}
	for {
		done := false
		err := s.update(func(tx *bbolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			from := meta.Get(keySealFrom)
			if from == nil {
				done = true
				return nil
			}
			last, more, err := sealConversations(tx, bytes.Clone(from), sealBatch)
			if err != nil {
				return err
			}
			if more {
				return meta.Put(keySealFrom, last)
			}
			if err := sealTraining(tx); err != nil {
				return err
			}
			done = true
			return meta.Delete(keySealFrom)
		})
		if err != nil || done {
			return err
		}
	}
}

// sealConversations seals up to n conversations after the id from (all
// from the first when from is empty) and returns the last one it came to
// and whether any remain. Damaged records are left for Check to report.
func sealConversations(tx *bbolt.Tx, from []byte, n int) (last []byte, more bool, err error) {
	convs := tx.Bucket(bucketConversations)
	entries := tx.Bucket(bucketEntries)
	type put struct {
		b    *bbolt.Bucket
		k, v []byte
	}
	var puts []put
	c := convs.Cursor()
	k, v := c.First()
	if len(from) > 0 {
		if k, v = c.Seek(from); k != nil && bytes.Equal(k, from) {
			k, v = c.Next()
		}
	}
	for ; k != nil; k, v = c.Next() {
		if n == 0 {
			more = true
			break
		}
		n--
		last = bytes.Clone(k)
		// A damaged record is left as it is, for Check to report.
		js, legacy, err := unseal(k, v)
		if err != nil {
			continue
		}
		count := 0
		prefix := entryPrefix(string(k))
		ec := entries.Cursor()
		for ek, ev := ec.Seek(prefix); ek != nil && bytes.HasPrefix(ek, prefix); ek, ev = ec.Next() {
			count++
			ejs, elegacy, err := unseal(ek, ev)
			if err == nil && elegacy {
				puts = append(puts, put{entries, bytes.Clone(ek), seal(ek, ejs)})
			}
		}
		h, err := decodeHeader(js)
		if err != nil {
			continue
		}
		if legacy || h.Entries != count {
			h.Entries = count
			b, err := marshalJSON(h)
			if err != nil {
				return nil, false, err
			}
			puts = append(puts, put{convs, bytes.Clone(k), seal(k, b)})
		}
	}
	for _, p := range puts {
		if err := p.b.Put(p.k, p.v); err != nil {
			return nil, false, err
		}
	}
	return last, more, nil
}

func sealTraining(tx *bbolt.Tx) error {
	training := tx.Bucket(bucketTraining)
	var keys, vals [][]byte
	err := training.ForEach(func(k, v []byte) error {
		js, legacy, err := unseal(k, v)
		if err == nil && legacy {
			keys, vals = append(keys, bytes.Clone(k)), append(vals, seal(k, js))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range keys {
		if err := training.Put(keys[i], vals[i]); err != nil {
			return err
		}
	}
	return nil
}

// --- reading records ---------------------------------------------------------

func decodeHeader(js []byte) (*header, error) {
	var h header
	if err := json.Unmarshal(js, &h); err != nil {
		return nil, err
	}
	return &h, nil
}

// readHeader checks and decodes the header stored under key k, with its
// times in the zone it was recorded in (zone.go).
func readHeader(k, v []byte) (*header, error) {
	js, _, err := unseal(k, v)
	if err != nil {
		return nil, &DamagedError{ID: printableID(k), What: "its record " + err.Error()}
	}
	h, err := decodeHeader(js)
	if err != nil {
		return nil, &DamagedError{ID: printableID(k), What: "its record is unreadable"}
	}
	if h.ID != string(k) {
		return nil, &DamagedError{ID: printableID(k), What: "its record names another id"}
	}
	h.inRecordedZone()
	return h, nil
}

// readEntry checks and decodes entry number n (from 1) of conversation id.
func readEntry(id string, n int, k, v []byte) (Entry, error) {
	js, _, err := unseal(k, v)
	if err != nil {
		return Entry{}, &DamagedError{ID: id, What: fmt.Sprintf("entry %d %s", n, err)}
	}
	e, err := decodeEntry(js)
	if err != nil {
		return Entry{}, &DamagedError{ID: id, What: fmt.Sprintf("entry %d is unreadable", n)}
	}
	return e, nil
}

// decodeEntry decodes a stored entry. Most have no unknown fields, so a
// strict decode into the plain wire type comes first; only an entry with
// unknown fields is decoded again keeping them.
func decodeEntry(js []byte) (Entry, error) {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	var w wireEntry
	if err := dec.Decode(&w); err == nil {
		if _, err := dec.Token(); err == io.EOF {
			return w.entry(), nil
		}
	}
	var e Entry
	err := json.Unmarshal(js, &e)
	return e, err
}

// entriesMissing is the error for a conversation holding fewer (or more)
// entries than its header counts: an entry's key was damaged.
func entriesMissing(id string, have, want int) error {
	if have < want {
		return &DamagedError{ID: id, What: fmt.Sprintf("%d of its %d entries are missing", want-have, want)}
	}
	return &DamagedError{ID: id, What: fmt.Sprintf("it holds %d entries but its record counts %d", have, want)}
}
