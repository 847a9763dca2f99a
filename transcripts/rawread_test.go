package transcripts

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var (
	fuzzStoreOnce sync.Once
	fuzzStore     []byte
	fuzzWant      map[string]string
)

// fuzzTemplate is the bit-flip test's store, built once per process.
func fuzzTemplate(t testing.TB) ([]byte, map[string]string) {
	fuzzStoreOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tsunagu-fuzz-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "template.db")
		bitFlipTemplate(t, path)
		if fuzzWant, err = exportLines(path); err != nil {
			t.Fatal(err)
		}
		fuzzStore, _ = os.ReadFile(path)
		used, err := usedBytes(path)
		if err != nil {
			t.Fatal(err)
		}
		fuzzStore = fuzzStore[:used]
	})
	return fuzzStore, fuzzWant
}

// FuzzRawReader damages the store with the edits in data (each 5 bytes: a
// big-endian offset into the pages in use, and a byte to XOR there) and
// reads it all through the checking reader, as Check and ExportAll do.
// Whatever the damage: no panic, no hang, and every conversation read is
// exactly what was stored.
func FuzzRawReader(f *testing.F) {
	for _, seed := range [][]byte{
		{},
		{0, 0, 0x20, 0x00, 0x01}, // the root page's id
		{0, 0, 0x30, 0x0a, 0xff}, // a page's element count
		{0, 0, 0x40, 0x18, 0x80, 0, 0, 0x40, 0x19, 0x01},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, edits []byte) {
		base, want := fuzzTemplate(t)
		data := make([]byte, len(base))
		copy(data, base)
		for ; len(edits) >= 5; edits = edits[5:] {
			data[int(binary.BigEndian.Uint32(edits))%len(data)] ^= edits[4]
		}
		db, err := newRawDB(data, 0)
		if err != nil {
			return
		}
		rep := CheckReport{}
		c := &checker{db: db, rep: &rep, convs: map[string]*checkedConv{}, damaged: map[string]bool{}}
		if err := c.run(); err != nil {
			t.Fatal(err)
		}
		db, _ = newRawDB(data, 0)
		r, err := newRawReader(db)
		if err != nil {
			return
		}
		order, _ := r.plan()
		for _, id := range order {
			conv, err := r.load(id)
			if err != nil {
				continue
			}
			b, err := EncodeJSON(conv)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != want[id] {
				t.Fatalf("conversation %s read changed:\n%s\nwant\n%s", id, b, want[id])
			}
		}
	})
}
