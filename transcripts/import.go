package transcripts

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"go.etcd.io/bbolt"
)

// ImportReport says what an import did.
type ImportReport struct {
	Imported int         `json:"imported"`
	Skipped  []Skipped   `json:"skipped,omitempty"` // ids that already existed, in file order
	Errors   []LineError `json:"errors,omitempty"`  // the first MaxImportErrors bad lines
	// BadLines counts every bad line, also those beyond MaxImportErrors.
	BadLines int `json:"bad_lines"`
}

// Skipped is a conversation Import left alone because its id existed.
type Skipped struct {
	Line int    `json:"line"`
	ID   string `json:"id"`
}

// LineError is one line Import could not use.
type LineError struct {
	Line int    `json:"line"`
	Err  string `json:"error"`
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Err) }

// MaxImportErrors caps the line errors an ImportReport keeps.
const MaxImportErrors = 100

const (
	maxRecordBytes  = 16 << 20 // one conversation
	importBatchSize = 10000    // conversations per transaction
	importBatchByte = 64 << 20
)

// Import reads conversations as JSON Lines (what export --format jsonl
// writes; an indented object spread over several lines is accepted too) and
// stores them in large transactions. A conversation whose id already exists,
// in the store or earlier in the file, is skipped and reported, never
// duplicated or overwritten. A bad line is reported with its number and the
// rest go on. Fields this version does not know are kept. The returned error
// is for failures that stop the import (disk full, read errors); what was
// committed before it stays.
func (s *Store) Import(r io.Reader) (ImportReport, error) {
	var rep ImportReport
	if s.readOnly != nil {
		return rep, s.readOnly
	}
	br := bufio.NewReaderSize(r, 1<<20)
	if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		br.Discard(len(utf8BOM)) // editors on Windows start files with one
	}
	seen := map[string]bool{}
	var batch []Conversation
	var batchLines []int
	batchBytes := 0
	lineNo := 0

	bad := func(line int, msg string) {
		rep.BadLines++
		if len(rep.Errors) < MaxImportErrors {
			rep.Errors = append(rep.Errors, LineError{Line: line, Err: MaskCards(msg)}) // messages may quote values
		}
	}
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var imported int
		var skipped []Skipped
		err := s.update(func(tx *bbolt.Tx) error {
			imported, skipped = 0, skipped[:0] // bbolt never re-runs Update, but stay correct if it did
			w := newSortedWriter(tx)
			for i, c := range batch {
				// Ids are unique within the file (seen), so checking the
				// committed store is enough while writes wait in w.
				if _, err := insertConversation(tx, w, c); err != nil {
					if errors.Is(err, ErrExists) {
						skipped = append(skipped, Skipped{Line: batchLines[i], ID: c.ID})
						continue
					}
					return fmt.Errorf("conversation %s: %w", c.ID, err)
				}
				imported++
			}
			return w.flush()
		})
		batch, batchLines, batchBytes = batch[:0], batchLines[:0], 0
		if err != nil {
			return err // rolled back: nothing from this batch is stored
		}
		rep.Imported += imported
		rep.Skipped = append(rep.Skipped, skipped...)
		slices.SortStableFunc(rep.Skipped, func(a, b Skipped) int { return a.Line - b.Line })
		return nil
	}

	var record []byte
	recordLine := 0
	pretty := false // the record began with a line holding only "{"
	for done := false; !done; {
		line, readErr := readLine(br, maxRecordBytes-len(record))
		switch {
		case errors.Is(readErr, errLineTooLong):
			lineNo++
			bad(lineNo, fmt.Sprintf("record longer than %d MB", maxRecordBytes>>20))
			record = nil
			skipRestOfLine(br)
			continue
		case errors.Is(readErr, io.EOF):
			done = true
			if len(line) == 0 && record == nil {
				continue
			}
		case readErr != nil:
			return rep, errors.Join(flush(), fmt.Errorf("reading line %d: %w", lineNo+1, readErr))
		}
		lineNo++
		if record == nil {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			recordLine = lineNo
			pretty = string(bytes.TrimSpace(line)) == "{"
		}
		record = append(record, line...)
		c, err := decodeRecord(record)
		if err != nil {
			if pretty && !done && isIncomplete(err) {
				record = append(record, '\n')
				continue
			}
			bad(recordLine, err.Error())
			record = nil
			continue
		}
		record = nil
		c.ID = MaskCards(c.ID) // as stored; also what reports show
		if seen[c.ID] {
			rep.Skipped = append(rep.Skipped, Skipped{Line: recordLine, ID: c.ID})
			continue
		}
		seen[c.ID] = true
		batch = append(batch, c)
		batchLines = append(batchLines, recordLine)
		batchBytes += len(line)
		if len(batch) >= importBatchSize || batchBytes >= importBatchByte {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	if record != nil {
		bad(recordLine, "the record is not finished at the end of the file")
	}
	return rep, flush()
}

var errLineTooLong = errors.New("line too long")

var utf8BOM = []byte("\xEF\xBB\xBF")

// readLine returns the next line without its newline, at most limit bytes.
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > limit {
			return nil, errLineTooLong
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == nil {
			line = bytes.TrimSuffix(line[:len(line)-1], []byte("\r"))
		}
		return line, err
	}
}

func skipRestOfLine(br *bufio.Reader) {
	for {
		_, err := br.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			return
		}
	}
}

func isIncomplete(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se) && se.Error() == "unexpected end of JSON input"
}

// DecodeRecord parses one exported conversation and checks the fields that
// import requires. It never panics, and unknown fields are
// kept. The fuzz tests drive it directly.
func DecodeRecord(data []byte) (Conversation, error) { return decodeRecord(data) }

func decodeRecord(data []byte) (Conversation, error) {
	var c Conversation
	if err := json.Unmarshal(data, &c); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return c, fmt.Errorf("field %s has the wrong type (%s)", te.Field, te.Value)
		}
		return c, err
	}
	if err := validateHeader(&c); err != nil {
		return c, err
	}
	for i := range c.Entries {
		if err := validateEntry(&c.Entries[i]); err != nil {
			return c, fmt.Errorf("entry %d: %w", i+1, err)
		}
	}
	return c, nil
}
