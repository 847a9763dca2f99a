package transcripts

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// SearchPage is one page of SearchAfter.
type SearchPage struct {
	SearchResult
	// Next is the cursor for the following page, "" on the last page.
	Next string `json:"next,omitempty"`
}

// SearchAfter is Search in pages: the matches of query and f that come
// after cursor ("" for the first page), newest first, limit of them (0:
// DefaultPageSize), with Total counting every match and Next the cursor of
// the page after. Like List's, the cursor names the last conversation of a
// page, so a page never repeats or skips a match when one before it is
// deleted.
func (s *Store) SearchAfter(query string, f Filter, cursor string, limit int) (SearchPage, error) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	var after []byte
	if cursor != "" {
		var err error
		if after, err = base64.RawURLEncoding.DecodeString(cursor); err != nil || len(after) < 8 {
			return SearchPage{}, fmt.Errorf("%w: bad search cursor %q", ErrInvalid, cursor)
		}
	}
	terms := queryTerms(query)
	if len(terms) == 0 {
		return SearchPage{}, fmt.Errorf("%w: the search has no words in it", ErrInvalid)
	}
	var page SearchPage
	err := s.view(func(tx *bbolt.Tx) error {
		cb := tx.Bucket(bucketByTime)
		from, to := f.instantBounds()
		for _, p := range matchingPostings(tx, terms) {
			var h *header
			if f != (Filter{}) {
				row := cb.Get([]byte(p))
				if row == nil || !f.matchRow(row) || !inInstants([]byte(p), from, to) {
					continue
				}
				if f.hasDates() && !f.datesSure(keyTime([]byte(p))) {
					var ok bool
					var err error
					if h, ok, err = datesMatchAt(tx, &f, []byte(p)); err != nil {
						return err
					} else if !ok {
						continue
					}
				}
			}
			page.Total++
			// Postings sort newest first, as the cursor does.
			if after != nil && bytes.Compare([]byte(p), after) <= 0 {
				continue
			}
			switch {
			case len(page.Items) < limit:
				// A damaged header still lists (marked damaged) instead of
				// stopping the search.
				sum, err := summaryAt(tx, h, []byte(p), cb.Get([]byte(p)))
				if errors.Is(err, ErrNotFound) {
					page.Total--
					continue
				}
				if err != nil {
					return err
				}
				page.Items = append(page.Items, sum)
			case page.Next == "":
				page.Next = base64.RawURLEncoding.EncodeToString(lastKey(page.Items))
			}
		}
		return nil
	})
	return page, err
}

// matchingPostings are the postings (^time+id) of the conversations that
// hold every term, sorted newest first.
func matchingPostings(tx *bbolt.Tx, terms []term) []string {
	tb := tx.Bucket(bucketTerms)
	var hits map[string]struct{}
	for _, t := range terms {
		found := map[string]struct{}{}
		c := tb.Cursor()
		prefix := []byte(t.text)
		if t.kind == termExact {
			prefix = append(prefix, 0)
		}
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			forEachPosting(v, func(p []byte) {
				if _, ok := hits[string(p)]; hits == nil || ok {
					found[string(p)] = struct{}{}
				}
			})
		}
		hits = found
		if len(hits) == 0 {
			break
		}
	}
	posts := make([]string, 0, len(hits))
	for p := range hits {
		if len(p) > 8 {
			posts = append(posts, p)
		}
	}
	slices.Sort(posts)
	return posts
}
