package transcripts

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"slices"

	"go.etcd.io/bbolt"
)

// Faithful records (issue 15): a record says exactly what happened.
//   - One close event per conversation: a closed event that follows another
//     with no resumed event between them is a duplicate (the chat recorded
//     the close at simulated time, then CloseConversation again at wall
//     time). The store keeps the first and never stores another.
//   - Authors are roles and names, never UI words: a customer entry whose
//     author is the chat's word for the customer ("You", 「あなた」) is
//     stored with the customer's name, or no author when there is none (the
//     role says who it is).
//
// AppendEntry and CreateConversation (so Import too) store records this
// way, the faithfulRecords migration fixes existing stores, and a read-only
// open of a store that has not had it yet applies the same fix in memory.

// More system events. The browser and show describe each of them.
const (
	EventResumed Event = "resumed" // a conversation taken up again from the history
	// EventCloseOffered: the operator offered to close the chat; Meta.Operator.
	EventCloseOffered Event = "close_offered"
	// EventOperatorChoice: what the customer chose when handed to a person;
	// Meta.Reason is ChoiceNativeSpeaker or ChoiceFirstAvailable.
	EventOperatorChoice Event = "operator_choice"
)

// The customer's choices recorded by EventOperatorChoice (Meta.Reason).
const (
	ChoiceFirstAvailable = "first_available"
	ChoiceNativeSpeaker  = "native_speaker"
)

// A rating event's Author says what was rated.
const (
	RatedBot      = "bot"
	RatedOperator = "operator"
)

// customerUIWords are the chat's words for "the customer", which older
// versions stored as the customer's author.
var customerUIWords = []string{"You", "あなた"}

func isCustomerUIWord(author string) bool { return slices.Contains(customerUIWords, author) }

// closeTracker finds duplicate close events while walking a conversation's
// entries in order.
type closeTracker struct{ closed bool }

// duplicate reports whether e is a close event after another with no
// resumed event between them; it also records e.
func (t *closeTracker) duplicate(e *Entry) bool {
	if e.Role != RoleSystem {
		return false
	}
	switch e.Event {
	case EventClosed:
		if t.closed {
			return true
		}
		t.closed = true
	case EventResumed:
		t.closed = false
	}
	return false
}

// faithfulEntries returns entries with duplicate close events left out and
// customer UI-word authors replaced by customerName. It returns the same
// slice when nothing changes, and never changes the one it is given.
func faithfulEntries(entries []Entry, customerName string) []Entry {
	var out []Entry // nil until something changes
	var closes closeTracker
	for i := range entries {
		e := entries[i]
		drop := closes.duplicate(&e)
		rename := e.Role == RoleCustomer && isCustomerUIWord(e.Author)
		if (drop || rename) && out == nil {
			out = append(make([]Entry, 0, len(entries)), entries[:i]...)
		}
		if drop {
			continue
		}
		if rename {
			e.Author = customerName
		}
		if out != nil {
			out = append(out, e)
		}
	}
	if out == nil {
		return entries
	}
	return out
}

// rawMarkers are quick byte tests on stored entries (compact JSON written by
// marshalJSON, sealed or not: the JSON follows the checksum as it is), so
// that the migration decodes only entries it may change.
var rawMarkers = func() [][]byte {
	out := [][]byte{[]byte(`"event":"closed"`), []byte(`"event":"resumed"`)}
	for _, w := range customerUIWords {
		b, _ := json.Marshal(w)
		out = append(out, append([]byte(`"author":`), b...))
	}
	return out
}()

func rawMayNeedFix(v []byte) bool {
	for _, m := range rawMarkers {
		if bytes.Contains(v, m) {
			return true
		}
	}
	return false
}

// lastClose returns the sequence number of the conversation's close event
// when it is closed (a close event with no resumed event after it).
func lastClose(tx *bbolt.Tx, id string) (uint64, bool) {
	prefix := entryPrefix(id)
	c := tx.Bucket(bucketEntries).Cursor()
	var k, v []byte
	if k, _ = c.Seek(entryKey(id, 1<<64-1)); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		if !rawMayNeedFix(v) {
			continue
		}
		js, _, err := unseal(k, v)
		if err != nil {
			continue // damaged: Check reports it
		}
		e, err := decodeEntry(js)
		if err != nil || e.Role != RoleSystem {
			continue
		}
		switch e.Event {
		case EventClosed:
			return binary.BigEndian.Uint64(k[len(prefix):]), true
		case EventResumed:
			return 0, false
		}
	}
	return 0, false
}
