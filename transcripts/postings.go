package transcripts

import (
	"bytes"
	"encoding/binary"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// The search index stores, for each term and each hour in which
// conversations started, one block: the sorted list of those conversations'
// postings. A posting is ^started_at (8 bytes) followed by the id, so sorted
// postings are newest first. Blocks keep the index small (one key per term
// and hour instead of per term and conversation) and a live append rewrites
// only the small blocks of the current hour.
//
// Block value: repeated [length byte][posting].

// blockKey is term 0x00 ^hour, newest hour first.
func blockKey(term string, startedAt time.Time) []byte {
	hour := startedAt.Unix() / 3600
	if startedAt.Unix() < 0 && startedAt.Unix()%3600 != 0 {
		hour-- // floor, so every second of an hour shares its block
	}
	k := make([]byte, 0, len(term)+5)
	k = append(k, term...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint32(k, ^(uint32(int32(hour)) ^ 1<<31))
}

func posting(h *header) []byte { return append(timeKey(h.StartedAt), h.ID...) }

// forEachPosting calls fn with each posting of a block value; fn must copy
// what it keeps.
func forEachPosting(v []byte, fn func(p []byte)) {
	for len(v) > 0 {
		n := int(v[0])
		if 1+n > len(v) {
			return // damaged block: stop rather than read past it
		}
		fn(v[1 : 1+n])
		v = v[1+n:]
	}
}

func decodeBlock(v []byte) [][]byte {
	var out [][]byte
	forEachPosting(v, func(p []byte) { out = append(out, bytes.Clone(p)) })
	return out
}

func encodeBlock(ps [][]byte) []byte {
	n := 0
	for _, p := range ps {
		n += 1 + len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range ps {
		out = append(out, byte(len(p)))
		out = append(out, p...)
	}
	return out
}

// addPostings merges postings into the block at key.
func addPostings(b *bbolt.Bucket, key []byte, add [][]byte) error {
	ps := append(decodeBlock(b.Get(key)), add...)
	slices.SortFunc(ps, bytes.Compare)
	ps = slices.CompactFunc(ps, bytes.Equal)
	return b.Put(key, encodeBlock(ps))
}

// removePosting takes one posting out of the block at key, deleting an
// emptied block.
func removePosting(b *bbolt.Bucket, key, p []byte) error {
	ps := slices.DeleteFunc(decodeBlock(b.Get(key)), func(q []byte) bool { return bytes.Equal(q, p) })
	if len(ps) == 0 {
		return b.Delete(key)
	}
	return b.Put(key, encodeBlock(ps))
}
