package transcripts

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Load returns one conversation with all its entries. The result is a copy:
// nothing in it points into the file's memory map.
func (s *Store) Load(id string) (Conversation, error) {
	var c Conversation
	err := s.view(func(tx *bbolt.Tx) error {
		var err error
		c, err = loadConversation(tx, id, legacyRecords(tx))
		return err
	})
	return c, err
}

// Filter narrows List and Search. The zero Filter matches everything.
type Filter struct {
	Status    Status    // only this status
	Topic     string    // this topic, or one under it ("delivery" matches "delivery/not_arrived")
	From, To  time.Time // started at or after From, before To (zero: unbounded)
	Escalated bool      // only conversations handed to a person
	MaxRating int       // only conversations rated 1..MaxRating (0: no rating filter)

	// Started on or after FromDate, on or before ToDate, each conversation
	// in the zone it was recorded in (zero: unbounded). See zone.go.
	FromDate, ToDate Date
}

func (f *Filter) matchRow(row []byte) bool {
	if len(row) < 3 {
		return false
	}
	if f.Status != "" && row[0] != statusCode(f.Status) {
		return false
	}
	if f.Escalated && row[1]&1 == 0 {
		return false
	}
	if f.MaxRating > 0 && (row[2] == 0 || int(row[2]) > f.MaxRating) {
		return false
	}
	if f.Topic != "" {
		topic := string(row[3:])
		if topic != f.Topic && !strings.HasPrefix(topic, strings.TrimSuffix(f.Topic, "/")+"/") {
			return false
		}
	}
	return true
}

// Page is one page of List.
type Page struct {
	Items []Summary `json:"items"`
	// Next is the cursor for the following page, "" on the last page.
	Next string `json:"next,omitempty"`
}

// DefaultPageSize is the page size List uses when asked for 0.
const DefaultPageSize = 20

// List returns conversations newest first, limit per page, starting after
// cursor ("" for the first page). It walks the by_time index, so a page
// costs only its own rows plus the rows the filter skips.
func (s *Store) List(f Filter, cursor string, limit int) (Page, error) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	var after []byte
	if cursor != "" {
		var err error
		if after, err = base64.RawURLEncoding.DecodeString(cursor); err != nil || len(after) < 8 {
			return Page{}, fmt.Errorf("%w: bad page cursor %q", ErrInvalid, cursor)
		}
	}
	from, to := f.instantBounds()
	var page Page
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketByTime).Cursor()
		var k, row []byte
		switch {
		case after != nil:
			k, row = c.Seek(after)
			if k != nil && bytes.Equal(k, after) {
				k, row = c.Next()
			}
		case !to.IsZero():
			k, row = c.Seek(timeKey(to.Add(-time.Nanosecond)))
		default:
			k, row = c.First()
		}
		var stopAt []byte
		if !from.IsZero() {
			stopAt = timeKey(from)
		}
		for ; k != nil; k, row = c.Next() {
			if len(k) <= 8 {
				continue // a damaged index key names no conversation
			}
			if stopAt != nil && bytes.Compare(k[:8], stopAt) > 0 {
				break
			}
			if !to.IsZero() && bytes.Compare(k[:8], timeKey(to)) <= 0 {
				continue
			}
			if !f.matchRow(row) {
				continue
			}
			var h *header
			if f.hasDates() {
				var ok bool
				var err error
				if h, ok, err = datesMatchAt(tx, &f, k); err != nil {
					return err
				} else if !ok {
					continue
				}
			}
			if len(page.Items) == limit {
				page.Next = base64.RawURLEncoding.EncodeToString(lastKey(page.Items))
				break
			}
			sum, err := summaryAt(tx, h, k, row)
			if errors.Is(err, ErrNotFound) {
				continue // a damaged index key names a conversation that is not there
			}
			if err != nil {
				return err
			}
			page.Items = append(page.Items, sum)
		}
		return nil
	})
	return page, err
}

func lastKey(items []Summary) []byte {
	last := items[len(items)-1]
	return append(timeKey(last.StartedAt), last.ID...)
}

// SearchResult is what Search found.
type SearchResult struct {
	Items []Summary `json:"items"` // newest first, at most the limit asked for
	Total int       `json:"total"` // how many conversations matched in all
}

// Search finds conversations whose text, customer name, order id, topic or
// operator names contain every term of query (see terms.go for how text is
// cut: bigrams for Japanese, words and prefixes for Latin scripts). Results
// are newest first; limit 0 means DefaultPageSize.
func (s *Store) Search(query string, f Filter, limit int) (SearchResult, error) {
	page, err := s.SearchAfter(query, f, "", limit)
	return page.SearchResult, err
}

// summaryAt is the list row of the conversation whose by_time key is k
// (row is that key's value, or nil), from its header h when the caller
// read it already (nil: read here). A damaged header does not hide the
// conversation or stop the list: its row is made from the index and says
// it is damaged, with its start in UTC (its own zone is in the header).
func summaryAt(tx *bbolt.Tx, h *header, k, row []byte) (Summary, error) {
	if h != nil {
		return h.summary(), nil
	}
	h, err := getHeader(tx, string(k[8:]))
	if err == nil {
		return h.summary(), nil
	}
	var de *DamagedError
	if !errors.As(err, &de) {
		return Summary{}, err
	}
	sum := Summary{ID: string(k[8:]), StartedAt: keyTime(k).UTC(), Damaged: de.What}
	sum.LastAt = sum.StartedAt
	if len(row) >= 3 {
		if int(row[0]) < len(statusCodes) {
			sum.Status = statusCodes[row[0]]
		}
		sum.Escalated = row[1]&1 != 0
		sum.Rating = int(row[2])
		sum.Topic = string(row[3:])
	}
	return sum, nil
}

// datesMatchAt reads the header of the conversation whose by_time key (or
// posting) is k and reports whether it started on f's dates in its own
// zone. A damaged header's zone is unknown: its day is taken in UTC, so the
// list can still show it as damaged. A key naming no stored conversation
// (a damaged index key) matches nothing.
func datesMatchAt(tx *bbolt.Tx, f *Filter, k []byte) (h *header, ok bool, err error) {
	h, err = getHeader(tx, string(k[8:]))
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, false, nil
	case errors.Is(err, ErrDamaged):
		return nil, f.datesMatch(keyTime(k).UTC()), nil
	case err != nil:
		return nil, false, err
	}
	return h, f.datesMatch(h.StartedAt), nil
}

// Count returns how many conversations the store holds.
func (s *Store) Count() (int, error) {
	n := 0
	err := s.view(func(tx *bbolt.Tx) error {
		n = tx.Bucket(bucketConversations).Stats().KeyN
		return nil
	})
	return n, err
}

// ForEach calls fn for every conversation, newest first, loaded in full. It
// stops at the first error fn returns.
func (s *Store) ForEach(fn func(Conversation) error) error {
	return s.view(func(tx *bbolt.Tx) error {
		legacy := legacyRecords(tx)
		c := tx.Bucket(bucketByTime).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) <= 8 {
				continue // a damaged index key names no conversation
			}
			conv, err := loadConversation(tx, string(k[8:]), legacy)
			if err != nil {
				return err
			}
			if err := fn(conv); err != nil {
				return err
			}
		}
		return nil
	})
}

// --- training sessions ---------------------------------------------------------

// TrainingSession is one trainee run of a scenario with its score. Items is
// the scorer's per-item breakdown, stored as given (JSON).
type TrainingSession struct {
	ID         uint64          `json:"id"`
	Trainee    string          `json:"trainee"`
	ScenarioID string          `json:"scenario_id"`
	At         time.Time       `json:"at"`
	Score      float64         `json:"score"`
	Items      json.RawMessage `json:"items,omitempty"`
	Transcript []TrainingLine  `json:"transcript,omitempty"` // see training.go
}

// SaveTraining stores a session (committed when it returns) and returns its
// id. A zero At becomes now. Card numbers in it are masked like all text.
func (s *Store) SaveTraining(t TrainingSession) (uint64, error) {
	if strings.TrimSpace(t.Trainee) == "" || strings.TrimSpace(t.ScenarioID) == "" {
		return 0, fmt.Errorf("%w: a training session needs a trainee and a scenario id", ErrInvalid)
	}
	if t.At.IsZero() {
		t.At = s.opts.Now()
	}
	t.Trainee = cleanText(t.Trainee)
	t.ScenarioID = cleanText(t.ScenarioID)
	t.Transcript = cleanTrainingLines(t.Transcript)
	if len(t.Items) > 0 {
		if t.Items = cleanRaw(t.Items); t.Items == nil {
			return 0, fmt.Errorf("%w: training items are not valid JSON", ErrInvalid)
		}
	}
	err := s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketTraining)
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		t.ID = id
		v, err := marshalJSON(t)
		if err != nil {
			return err
		}
		return b.Put(u64(id), seal(u64(id), v))
	})
	return t.ID, err
}

// ListTraining returns sessions newest first (by id), only the given
// trainee's when trainee is not "", at most limit (0: all).
func (s *Store) ListTraining(trainee string, limit int) ([]TrainingSession, error) {
	var out []TrainingSession
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketTraining).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var t TrainingSession
			js, _, err := unseal(k, v)
			if err == nil {
				err = json.Unmarshal(js, &t)
			}
			if err != nil {
				return &DamagedError{What: fmt.Sprintf("training session %s is damaged or unreadable", keyHex(k))}
			}
			if trainee != "" && t.Trainee != trainee {
				continue
			}
			out = append(out, t)
			if limit > 0 && len(out) == limit {
				break
			}
		}
		return nil
	})
	return out, err
}
