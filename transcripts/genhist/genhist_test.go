package genhist

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"tsunagu/transcripts"
)

func TestWriteIsDeterministicAndImportable(t *testing.T) {
	opts := Options{Conversations: 300, Seed: 7, Start: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	var a, b, c bytes.Buffer
	if err := Write(&a, opts); err != nil {
		t.Fatal(err)
	}
	Write(&b, opts)
	opts.Seed = 8
	Write(&c, opts)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the same seed gave different histories")
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Fatal("different seeds gave the same history")
	}
	lines := strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n")
	if len(lines) != 300 {
		t.Fatalf("%d lines, want 300", len(lines))
	}
	langs := map[string]int{}
	for i, l := range lines {
		conv, err := transcripts.DecodeRecord([]byte(l))
		if err != nil {
			t.Fatalf("line %d does not import: %v", i+1, err)
		}
		if len(conv.Entries) != EntriesPerConversation {
			t.Fatalf("line %d has %d entries", i+1, len(conv.Entries))
		}
		langs[conv.Lang]++
	}
	if langs["ja"] < 100 || langs["en"] < 60 {
		t.Fatalf("language mix %v, want about 60%% ja and 40%% en", langs)
	}
}
