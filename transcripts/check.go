package transcripts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
)

// CheckReport is what Check found.
type CheckReport struct {
	Conversations int `json:"conversations"` // conversations read whole and sound
	Entries       int `json:"entries"`       // their entries
	Training      int `json:"training"`      // sound training sessions
	// Unverified counts records written before checksums, which could only
	// be checked for being readable (opening the store for writing once
	// adds their checksums).
	Unverified int `json:"unverified,omitempty"`
	// Damaged lists the damaged conversations and training sessions. Their
	// text cannot be trusted; everything else can.
	Damaged []DamagedRecord `json:"damaged,omitempty"`
	// Index lists damage to the list and search indexes only: no text is
	// affected, but the list or a search may miss or misplace a conversation.
	Index []string `json:"index,omitempty"`
}

// OK reports whether nothing is damaged.
func (r *CheckReport) OK() bool { return len(r.Damaged) == 0 && len(r.Index) == 0 }

// maxIndexProblems caps CheckReport.Index; the last line counts the rest.
const maxIndexProblems = 20

// Check reads the whole file through the checking reader: every page of
// every bucket, every record's checksum, every conversation's entry count,
// and the indexes against the records. It never crashes or hangs on a
// damaged file, and it changes nothing.
func (s *Store) Check() (CheckReport, error) {
	var rep CheckReport
	err := s.withRaw(func(db *rawDB) error {
		c := &checker{db: db, rep: &rep, convs: map[string]*checkedConv{}, damaged: map[string]bool{}}
		return c.run()
	})
	return rep, err
}

type checkedConv struct {
	h       *header // nil when its record is damaged
	found   int     // entries found
	indexed int     // by_time keys naming it
	// The search index blocks that should hold this conversation, and
	// those that do, each as the XOR of their keys' hashes: equal when
	// they are the same set, whatever the order they were met in.
	wantTerms, haveTerms uint64
	termsDone            bool
}

type checker struct {
	db          *rawDB
	rep         *CheckReport
	convs       map[string]*checkedConv
	damaged     map[string]bool // ids already reported
	indexIssues int
	unindexed   []string // ids the list index names that are not stored

	// The conversation whose entries the walk is in, and the distinct
	// search terms of its header and entries so far.
	cur      *checkedConv
	curTerms map[string]struct{}
}

// startTerms begins collecting cv's search terms, with its header's.
func (c *checker) startTerms(cv *checkedConv) {
	c.finishTerms()
	c.cur, c.curTerms = cv, map[string]struct{}{}
	headerTerms(cv.h, c.curTerms)
}

func (c *checker) finishTerms() {
	if c.cur == nil {
		return
	}
	for t := range c.curTerms {
		c.cur.wantTerms ^= keyHash(blockKey(t, c.cur.h.StartedAt))
	}
	c.cur.termsDone = true
	c.cur, c.curTerms = nil, nil
}

func keyHash(k []byte) uint64 {
	h := fnv.New64a()
	h.Write(k)
	return h.Sum64()
}

func (c *checker) damage(id, what string) {
	if id != "" {
		if c.damaged[id] {
			return
		}
		c.damaged[id] = true
	}
	c.rep.Damaged = append(c.rep.Damaged, DamagedRecord{ID: id, What: what})
}

func (c *checker) index(format string, a ...any) {
	c.indexIssues++
	switch {
	case c.indexIssues <= maxIndexProblems:
		c.rep.Index = append(c.rep.Index, fmt.Sprintf(format, a...))
	case c.indexIssues == maxIndexProblems+1:
		c.rep.Index = append(c.rep.Index, "")
		fallthrough
	default:
		c.rep.Index[maxIndexProblems] = fmt.Sprintf("and %d more index problems", c.indexIssues-maxIndexProblems)
	}
}

func (c *checker) run() error {
	root := c.db.rootBucket()
	buckets := map[string]rawBucket{}
	rootWalk := c.db.walker(func(err error, _, _ []byte) {
		c.damage("", fmt.Sprintf("the store's top page is damaged (%v); nothing can be trusted", err))
	})
	_ = rootWalk.each(root, func(k, v []byte, bucket bool) error {
		if !bucket {
			return nil
		}
		b, err := root.childBucket(v)
		if err != nil {
			c.damage("", fmt.Sprintf("the %s bucket is damaged (%v)", printableID(k), err))
			return nil
		}
		buckets[string(k)] = b
		return nil
	})
	for _, name := range [][]byte{bucketMeta, bucketConversations, bucketEntries, bucketByTime, bucketTerms, bucketTraining} {
		if _, ok := buckets[string(name)]; !ok && len(c.rep.Damaged) == 0 {
			c.damage("", fmt.Sprintf("the store has lost its %s bucket", name))
		}
	}
	// One walker for the rest: a page used by two buckets is damage too.
	var ranges []keyRange
	var rangeBucket []string
	w := c.db.walker(func(err error, lo, hi []byte) {
		ranges = append(ranges, keyRange{err, lo, hi})
	})
	walk := func(name []byte, fn func(k, v []byte, bucket bool) error) {
		b, ok := buckets[string(name)]
		if !ok {
			return
		}
		n := len(ranges)
		_ = w.each(b, fn)
		for range ranges[n:] {
			rangeBucket = append(rangeBucket, string(name))
		}
	}

	walk(bucketConversations, c.header)
	walk(bucketEntries, c.entry)
	c.finishTerms()
	for _, cv := range c.convs {
		if cv.h != nil && !cv.termsDone { // no entries: its header's terms only
			c.startTerms(cv)
			c.finishTerms()
		}
	}
	var byTimeIDs [][]byte
	walk(bucketByTime, func(k, v []byte, bucket bool) error {
		if len(k) > 8 {
			byTimeIDs = append(byTimeIDs, k[8:])
		}
		c.byTime(k, v, bucket)
		return nil
	})
	walk(bucketTerms, c.terms)
	walk(bucketTraining, c.training)

	for i, kr := range ranges {
		switch rangeBucket[i] {
		case string(bucketConversations):
			named := false
			for _, id := range byTimeIDs {
				if kr.contains(id) && c.convs[string(id)] == nil {
					c.damage(printableID(id), fmt.Sprintf("its record is on a damaged page (%v)", kr.err))
					named = true
				}
			}
			if !named {
				c.damage("", fmt.Sprintf("conversations between %s and %s cannot be read (%v)", rangeEnd(kr.lo, "the first"), rangeEnd(kr.hi, "the last"), kr.err))
			}
		case string(bucketEntries):
			named := false
			for id := range c.convs {
				prefix := entryPrefix(id)
				end := append([]byte(id), 1)
				if (kr.hi == nil || bytes.Compare(prefix, kr.hi) < 0) && (kr.lo == nil || bytes.Compare(end, kr.lo) > 0) {
					c.damage(id, fmt.Sprintf("some of its entries are on a damaged page (%v)", kr.err))
					named = true
				}
			}
			if !named {
				c.damage("", fmt.Sprintf("messages of unknown conversations cannot be read (%v)", kr.err))
			}
		case string(bucketTraining):
			c.damage("", fmt.Sprintf("training sessions cannot be read (%v)", kr.err))
		case string(bucketByTime):
			c.index("the list index is damaged (%v)", kr.err)
		case string(bucketTerms):
			c.index("the search index is damaged (%v)", kr.err)
		default:
			c.index("%v", kr.err)
		}
	}

	// A conversation the list index names but that is not stored: its
	// record's key was damaged if some record is stored under a key the
	// index does not know; otherwise the index key itself is damaged.
	strays := false
	for _, cv := range c.convs {
		strays = strays || cv.indexed == 0 && cv.h == nil
	}
	for _, id := range c.unindexed {
		if strays {
			c.damage(printableID([]byte(id)), "its record is missing (its key in the file is probably damaged)")
		} else {
			c.index("the list index names %s, which is not stored", printableID([]byte(id)))
		}
	}

	ids := make([]string, 0, len(c.convs))
	for id := range c.convs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		cv := c.convs[id]
		if cv.h == nil {
			continue
		}
		if cv.found != cv.h.Entries {
			c.damage(id, entriesMissing(id, cv.found, cv.h.Entries).(*DamagedError).What)
			continue
		}
		if !c.damaged[id] {
			c.rep.Conversations++
			c.rep.Entries += cv.found
		}
		if cv.indexed == 0 {
			c.index("conversation %s is missing from the list index", id)
		}
		if cv.wantTerms != cv.haveTerms && !c.damaged[id] {
			c.index("the search index is wrong about conversation %s (a search may miss it)", id)
		}
	}
	slices.SortFunc(c.rep.Damaged, func(a, b DamagedRecord) int {
		if a.ID != b.ID {
			return bytes.Compare([]byte(a.ID), []byte(b.ID))
		}
		return bytes.Compare([]byte(a.What), []byte(b.What))
	})
	return nil
}

func (c *checker) header(k, v []byte, bucket bool) error {
	cv := &checkedConv{}
	c.convs[string(k)] = cv
	if bucket {
		c.damage(printableID(k), "its record is marked as a bucket")
		return nil
	}
	h, err := readHeader(k, v)
	var de *DamagedError
	if errors.As(err, &de) {
		c.damage(de.ID, de.What)
		return nil
	}
	if _, legacy, _ := unseal(k, v); legacy {
		c.rep.Unverified++
	}
	cv.h = h
	return nil
}

func (c *checker) entry(k, v []byte, bucket bool) error {
	if len(k) < 10 || k[len(k)-9] != 0 {
		c.damage("", fmt.Sprintf("a message has a damaged key (%s)", printableID(k)))
		return nil
	}
	id := string(k[:len(k)-9])
	cv := c.convs[id]
	if cv == nil {
		_, _, err := unseal(k, v)
		if err != nil {
			c.damage("", fmt.Sprintf("a message stored under the unknown conversation id %s %v (its key is probably damaged)", printableID([]byte(id)), err))
		} else {
			c.damage("", fmt.Sprintf("a message belongs to the unknown conversation id %s", printableID([]byte(id))))
		}
		return nil
	}
	cv.found++
	if bucket {
		c.damage(id, fmt.Sprintf("entry %d is marked as a bucket", cv.found))
		return nil
	}
	js, legacy, err := unseal(k, v)
	if err != nil {
		c.damage(id, fmt.Sprintf("entry %d %v", cv.found, err))
		return nil
	}
	if legacy {
		c.rep.Unverified++
	}
	e, err := decodeEntry(js)
	if err != nil {
		c.damage(id, fmt.Sprintf("entry %d is unreadable", cv.found))
		return nil
	}
	if cv.h != nil {
		if c.cur != cv {
			c.startTerms(cv)
		}
		entryTerms(&e, c.curTerms)
	}
	return nil
}

func (c *checker) byTime(k, v []byte, bucket bool) {
	if len(k) <= 8 || bucket {
		c.index("the list index holds a damaged key")
		return
	}
	id := string(k[8:])
	cv := c.convs[id]
	if cv == nil {
		c.unindexed = append(c.unindexed, id)
		return
	}
	cv.indexed++
	if cv.h == nil {
		return
	}
	if !bytes.Equal(k, byTimeKey(cv.h)) || !bytes.Equal(v, byTimeRow(cv.h)) || cv.indexed > 1 {
		c.index("the list index is wrong about conversation %s", id)
	}
}

func (c *checker) terms(k, v []byte, bucket bool) error {
	if bucket || len(k) < 5 || k[len(k)-5] != 0 {
		c.index("the search index holds a damaged key")
		return nil
	}
	for len(v) > 0 {
		n := int(v[0])
		if 1+n > len(v) || n <= 8 {
			c.index("the search index entry for %s is damaged", printableID(k[:len(k)-5]))
			return nil
		}
		p := v[1 : 1+n]
		cv := c.convs[string(p[8:])]
		if cv == nil || cv.h != nil && !bytes.Equal(p, posting(cv.h)) {
			c.index("the search index entry for %s names a conversation wrongly", printableID(k[:len(k)-5]))
			return nil
		}
		cv.haveTerms ^= keyHash(k)
		v = v[1+n:]
	}
	return nil
}

func (c *checker) training(k, v []byte, bucket bool) error {
	js, legacy, err := unseal(k, v)
	if err == nil && !bucket {
		var t TrainingSession
		err = json.Unmarshal(js, &t)
	}
	if err != nil || bucket {
		c.damage("", fmt.Sprintf("training session %s is damaged", keyHex(k)))
		return nil
	}
	if legacy {
		c.rep.Unverified++
	}
	c.rep.Training++
	return nil
}
