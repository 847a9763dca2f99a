package transcripts

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// WriteRecovery writes conversations that could not be stored as JSON
// Lines, one conversation a line, exactly as `history import` reads them.
// Every text is cleaned as the store would clean it (card numbers masked),
// so a recovery file never holds what the store would not.
func WriteRecovery(w io.Writer, convs ...Conversation) error {
	bw := bufio.NewWriter(w)
	for _, c := range convs {
		c = cleanHeader(c)
		c.ID = cleanText(c.ID)
		entries := make([]Entry, len(c.Entries))
		for i, e := range c.Entries {
			entries[i] = cleanEntry(e)
		}
		c.Entries = entries
		line, err := marshalJSON(c)
		if err != nil {
			return err
		}
		if _, err := bw.Write(append(line, '\n')); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteRecoveryFile writes conversations to a new recovery file in dir
// (the store's folder), readable by its owner only, and returns its path.
// The file is synced before its path is returned.
func WriteRecoveryFile(dir string, at time.Time, convs ...Conversation) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	name := fmt.Sprintf("tsunagu-recovered-%s.jsonl", at.Format("20060102-150405"))
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	for n := 2; os.IsExist(err) && n < 100; n++ {
		path = filepath.Join(dir, fmt.Sprintf("tsunagu-recovered-%s-%d.jsonl", at.Format("20060102-150405"), n))
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if err != nil {
		return "", err
	}
	if err := WriteRecovery(f, convs...); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}
