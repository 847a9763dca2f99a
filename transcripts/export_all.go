package transcripts

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
)

// DamagedRecord names one damaged conversation and says what is wrong. ID
// is "" when the damage cannot be tied to one conversation.
type DamagedRecord struct {
	ID   string `json:"id,omitempty"`
	What string `json:"what"`
}

func (d DamagedRecord) String() string {
	if d.ID == "" {
		return d.What
	}
	return d.ID + ": " + d.What
}

// ExportOptions tune ExportAll.
type ExportOptions struct {
	// SkipDamaged exports every sound conversation and lists the damaged
	// ones in the report, instead of stopping at the first.
	SkipDamaged bool
	// Lang labels Markdown (see LabelsFor); "" is English.
	Lang string
}

// ExportReport says what ExportAll wrote.
type ExportReport struct {
	Exported int             `json:"exported"`
	Skipped  []DamagedRecord `json:"skipped,omitempty"` // with SkipDamaged: what was left out
}

// ExportStoppedError is returned by ExportAll without SkipDamaged when it
// meets a damaged conversation: the export stopped there.
type ExportStoppedError struct {
	Damaged  DamagedRecord
	Exported int // conversations written before it
	Total    int // conversations in the store
}

func (e *ExportStoppedError) Error() string {
	return fmt.Sprintf("the export stopped after %d of %d conversations: %s is damaged (%s)",
		e.Exported, e.Total, nonEmpty(e.Damaged.ID, "a conversation"), e.Damaged.What)
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *ExportStoppedError) Is(target error) bool { return target == ErrDamaged }

// ExportAll writes every conversation, newest first, to w. It reads the file
// through the checking reader (rawread.go), so damage never crashes or hangs
// it: every conversation written passed its checksums and has all its
// entries, and a damaged one is either skipped and reported
// (opts.SkipDamaged) or ends the export with an *ExportStoppedError naming it.
func (s *Store) ExportAll(w io.Writer, format Format, opts ExportOptions) (ExportReport, error) {
	var rep ExportReport
	if format != FormatMarkdown && format != FormatJSON && format != FormatJSONLines {
		return rep, fmt.Errorf("%w: unknown export format %q", ErrInvalid, format)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	err := s.withRaw(func(db *rawDB) error {
		r, err := newRawReader(db)
		if err != nil {
			return err
		}
		order, damaged := r.plan()
		total := len(order) + len(damaged)
		skip := func(d DamagedRecord) error {
			if !opts.SkipDamaged {
				return &ExportStoppedError{Damaged: d, Exported: rep.Exported, Total: total}
			}
			rep.Skipped = append(rep.Skipped, d)
			return nil
		}
		for _, d := range damaged {
			if err := skip(d); err != nil {
				return err
			}
		}
		for _, id := range order {
			c, err := r.load(id)
			var de *DamagedError
			if errors.As(err, &de) {
				if err := skip(DamagedRecord{ID: de.ID, What: de.What}); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			if err := writeExported(bw, format, opts.Lang, c, rep.Exported == 0); err != nil {
				return err
			}
			rep.Exported++
		}
		return nil
	})
	// What was written before an error is flushed too: the
	// ExportStoppedError counts it.
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return rep, err
}

// ExportAllFile is ExportAll into a file written atomically with mode 0600.
// On an error nothing is written at path.
func (s *Store) ExportAllFile(path string, format Format, opts ExportOptions) (ExportReport, error) {
	var rep ExportReport
	err := s.writeExportFile(path, func(w io.Writer) error {
		var err error
		rep, err = s.ExportAll(w, format, opts)
		return err
	})
	return rep, err
}

// writeExported writes one conversation in format, Markdown labelled in
// lang; first is false for every conversation after the first (Markdown
// puts a rule between them).
func writeExported(bw *bufio.Writer, format Format, lang string, c Conversation, first bool) error {
	switch format {
	case FormatMarkdown:
		if !first {
			bw.WriteString("\n---\n\n")
		}
		bw.WriteString(MarkdownIn(c, nonEmpty(lang, "en")))
	case FormatJSON, FormatJSONLines:
		b, err := EncodeJSON(c)
		if err != nil {
			return err
		}
		bw.Write(b)
		bw.WriteByte('\n')
	default:
		return fmt.Errorf("%w: unknown export format %q", ErrInvalid, format)
	}
	return nil
}

// --- reading conversations through the checking reader ----------------------

type rawReader struct {
	db                     *rawDB
	convs, entries, byTime rawBucket
}

// structureError is damage that leaves no conversation readable.
func structureError(what string, err error) error {
	return &DamagedError{What: fmt.Sprintf("the store's %s cannot be read (%v)", what, err)}
}

func newRawReader(db *rawDB) (*rawReader, error) {
	root := db.rootBucket()
	r := &rawReader{db: db}
	var err error
	if r.convs, err = root.bucket(bucketConversations); err != nil {
		return nil, structureError("list of conversations", err)
	}
	if r.entries, err = root.bucket(bucketEntries); err != nil {
		return nil, structureError("messages", err)
	}
	if r.byTime, err = root.bucket(bucketByTime); err != nil {
		r.byTime = rawBucket{} // only used to name damaged conversations
	}
	return r, nil
}

// plan reads every conversation's header and returns the ids to export,
// newest first, and the conversations whose header is damaged.
func (r *rawReader) plan() (order []string, damaged []DamagedRecord) {
	type item struct {
		key []byte
		id  string
	}
	var items []item
	var ranges []keyRange
	w := r.db.walker(func(err error, lo, hi []byte) { ranges = append(ranges, keyRange{err, lo, hi}) })
	have := map[string]bool{}
	_ = w.each(r.convs, func(k, v []byte, bucket bool) error {
		have[string(k)] = true
		h, err := readHeader(k, v)
		if err == nil && bucket {
			err = &DamagedError{ID: printableID(k), What: "its record is marked as a bucket"}
		}
		var de *DamagedError
		if errors.As(err, &de) {
			damaged = append(damaged, DamagedRecord{ID: de.ID, What: de.What})
			return nil
		}
		items = append(items, item{byTimeKey(h), h.ID})
		return nil
	})
	damaged = append(damaged, r.missing(ranges, have)...)
	slices.SortFunc(items, func(a, b item) int { return bytes.Compare(a.key, b.key) })
	for _, it := range items {
		order = append(order, it.id)
	}
	return order, damaged
}

// keyRange is a damaged page and the keys it held.
type keyRange struct {
	err    error
	lo, hi []byte
}

func (kr keyRange) contains(k []byte) bool {
	return (kr.lo == nil || bytes.Compare(k, kr.lo) >= 0) && (kr.hi == nil || bytes.Compare(k, kr.hi) < 0)
}

// missing names, from the list index, the conversations whose headers were
// not found: those on damaged pages of the conversations bucket, and those
// whose key was damaged (their record, under the damaged key, fails its
// checksum). Damaged pages it cannot name a conversation for are reported
// by range.
func (r *rawReader) missing(ranges []keyRange, have map[string]bool) []DamagedRecord {
	var out []DamagedRecord
	named := make([]bool, len(ranges))
	if r.byTime.db != nil {
		w := r.db.walker(func(error, []byte, []byte) {})
		_ = w.each(r.byTime, func(k, _ []byte, _ bool) error {
			if len(k) <= 8 || have[string(k[8:])] {
				return nil
			}
			id := k[8:]
			have[string(id)] = true
			for i, kr := range ranges {
				if kr.contains(id) {
					named[i] = true
					out = append(out, DamagedRecord{ID: printableID(id), What: fmt.Sprintf("its record is on a damaged page (%v)", kr.err)})
					return nil
				}
			}
			out = append(out, DamagedRecord{ID: printableID(id), What: "its record is missing (its key in the file is probably damaged)"})
			return nil
		})
	}
	for i, kr := range ranges {
		if !named[i] {
			out = append(out, DamagedRecord{What: fmt.Sprintf("conversations between %s and %s cannot be read (%v)",
				rangeEnd(kr.lo, "the first"), rangeEnd(kr.hi, "the last"), kr.err)})
		}
	}
	return out
}

func rangeEnd(k []byte, none string) string {
	if k == nil {
		return none
	}
	return printableID(k)
}

// load reads conversation id in full, checking every record and that none
// of its entries is missing.
func (r *rawReader) load(id string) (Conversation, error) {
	onPage := func(what string, err error) error {
		var pd *pageDamage
		if errors.As(err, &pd) {
			return &DamagedError{ID: id, What: fmt.Sprintf("%s on a damaged page (%v)", what, err)}
		}
		return err
	}
	v, err := r.convs.get([]byte(id))
	if err != nil {
		return Conversation{}, onPage("its record is", err)
	}
	if v == nil {
		return Conversation{}, &DamagedError{ID: id, What: "its record is missing"}
	}
	h, err := readHeader([]byte(id), v)
	if err != nil {
		return Conversation{}, err
	}
	prefix := entryPrefix(id)
	entries := make([]Entry, 0, h.Entries)
	c := r.entries.cursor()
	k, v, bucket, err := c.seek(prefix)
	for n := 1; n <= h.Entries; n++ {
		if err != nil {
			return Conversation{}, onPage(fmt.Sprintf("entry %d is", n), err)
		}
		if k == nil || !bytes.HasPrefix(k, prefix) || bucket {
			return Conversation{}, entriesMissing(id, n-1, h.Entries)
		}
		e, rerr := readEntry(id, n, k, v)
		if rerr != nil {
			return Conversation{}, rerr
		}
		entries = append(entries, e)
		if n < h.Entries {
			k, v, bucket, err = c.next()
		}
	}
	if len(entries) == 0 {
		entries = nil
	}
	if r.db.legacy {
		entries = faithfulEntries(entries, h.Customer.Name)
	}
	return h.conversation(entries), nil
}

func nonEmpty(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}
