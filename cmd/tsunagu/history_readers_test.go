package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tsunagu/transcripts"
)

var errStopBrowsing = errors.New("stop")

// Issue 15: with a browser open (here a reader in the middle of a read, so
// it holds bbolt's shared lock), history list, show, search, export and a
// second reader all work; the browser never locks them out. A running chat
// holds the file alone, and the readers then name it and its pid.
func TestHistoryReadersSideBySide(t *testing.T) {
	db := historyFixture(t)
	browser, err := transcripts.OpenReadOnly(db, transcripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer browser.Close()

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"history", "list"}, "conv-ja"},
		{[]string{"history", "show", "conv-ja"}, "田中と申します。"},
		{[]string{"history", "search", "返品"}, "conv-ja"},
		{[]string{"history", "export", "--format", "jsonl"}, `"id":"conv-en"`},
		{[]string{"history", "export", "--format", "jsonl", "--skip-damaged"}, `"id":"conv-ja"`},
		{[]string{"history", "check"}, "Nothing is damaged."},
	}
	err = browser.ForEach(func(transcripts.Conversation) error {
		for _, tt := range tests {
			out, errOut, code := runHistoryCLI(t, "", append([]string{"--db", db}, tt.args...)...)
			if code != 0 || !strings.Contains(out, tt.want) {
				t.Errorf("%v beside a browser: exit %d, %q %q", tt.args, code, out, errOut)
			}
		}
		second, err := transcripts.OpenReadOnly(db, transcripts.Options{})
		if err != nil {
			t.Errorf("a second browser: %v", err)
			return errStopBrowsing
		}
		defer second.Close()
		if _, err := second.Load("conv-en"); err != nil {
			t.Errorf("a second browser loads: %v", err)
		}
		return errStopBrowsing
	})
	if !errors.Is(err, errStopBrowsing) {
		t.Fatal(err)
	}

	// A delete takes the write lock only while it deletes: an idle browser
	// does not stop it, and sees the result at its next read.
	if out, errOut, code := runHistoryCLI(t, "", "--db", db, "history", "delete", "conv-ja", "--yes"); code != 0 {
		t.Fatalf("delete beside a browser: exit %d, %q %q", code, out, errOut)
	}
	if n, err := browser.Count(); err != nil || n != 1 {
		t.Fatalf("the browser counts %d, %v after the delete", n, err)
	}

	chat, err := transcripts.Open(db, transcripts.Options{Holder: transcripts.HolderChat})
	if err != nil {
		t.Fatalf("a chat beside an idle browser: %v", err)
	}
	defer chat.Close()
	want := fmt.Sprintf("in use by a running chat (pid %d)", os.Getpid())
	for _, args := range [][]string{{"history", "list"}, {"history", "delete", "conv-en", "--yes"}} {
		_, errOut, code := runHistoryCLI(t, "", append([]string{"--db", db}, args...)...)
		if code != 1 || !strings.Contains(errOut, want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v while a chat runs: exit %d, %q; want %q", args, code, errOut, want)
		}
	}
}

// The browser's store (historyReader): it reads beside other readers,
// offers delete and resume (ReadOnlyReason nil), deletes by taking the write
// lock only for the delete, and labels Markdown exports in its language.
func TestHistoryBrowserStore(t *testing.T) {
	tests := []struct {
		lang, heading string
	}{
		{"en", "# Conversation conv-ja"},
		{"ja", "# 会話 conv-ja"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			db := historyFixture(t)
			s, ok, err := openHistoryReader(db, transcripts.Options{})
			if err != nil || !ok {
				t.Fatalf("open: %v %v", ok, err)
			}
			browser := historyReader{s, tt.lang}
			defer browser.Close()
			other, err := transcripts.OpenReadOnly(db, transcripts.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			if err := browser.ReadOnlyReason(); err != nil {
				t.Fatalf("ReadOnlyReason = %v, want delete and resume offered", err)
			}
			out := filepath.Join(t.TempDir(), "c.md")
			if err := browser.ExportFile(out, transcripts.FormatMarkdown, "conv-ja"); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(out); !strings.HasPrefix(string(b), tt.heading+"\n") {
				t.Fatalf("export starts %q, want %q", b, tt.heading)
			}
			if err := browser.Delete("conv-ja"); err != nil {
				t.Fatalf("delete beside another reader: %v", err)
			}
			if _, err := other.Load("conv-ja"); !errors.Is(err, transcripts.ErrNotFound) {
				t.Fatalf("the other reader still loads it: %v", err)
			}
		})
	}
}
