package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tsunagu/transcripts"
)

// runHistoryCLI runs one tsunagu command line and returns stdout, stderr and
// the exit code.
func runHistoryCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

var historyJST = time.FixedZone("", 9*3600)

// historyFixture writes a store with two conversations and returns its path.
func historyFixture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "tsunagu.db")
	s, err := transcripts.Open(path, transcripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, historyJST)
	convs := []transcripts.Conversation{
		{ID: "conv-ja", StartedAt: at, Lang: "ja", Customer: transcripts.Customer{Name: "佐藤 花子", HasAccount: true},
			OrderID: "250-1234567-1234567", Topic: "returns/refund", Channel: "chat", Status: transcripts.StatusClosed,
			Entries: []transcripts.Entry{
				{At: at.Add(time.Second), Role: transcripts.RoleCustomer, Author: "佐藤 花子", Text: "イヤホンを返品したいです。"},
				{At: at.Add(2 * time.Second), Role: transcripts.RoleSystem, Event: transcripts.EventEscalated,
					Meta: &transcripts.Meta{Reason: "complaint", Operator: "Tanaka"}},
				{At: at.Add(3 * time.Second), Role: transcripts.RoleOperator, Author: "Tanaka", Text: "田中と申します。返品の件ですね。"},
			}},
		{ID: "conv-en", StartedAt: at.Add(time.Hour), Lang: "en", Customer: transcripts.Customer{Name: "Evil\x1b[31m Name"},
			Topic: "delivery/not_arrived", Status: transcripts.StatusOpen,
			Entries: []transcripts.Entry{
				{At: at.Add(time.Hour + time.Second), Role: transcripts.RoleCustomer, Text: "Refunds? \x1b]0;pwned\x07 where is my parcel\u202e"},
			}},
	}
	for _, c := range convs {
		if _, err := s.CreateConversation(c); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestHistoryReadCommands(t *testing.T) {
	db := historyFixture(t)
	tests := []struct {
		name    string
		args    []string
		want    []string
		notWant []string
	}{
		{"bare history lists", []string{"history"}, []string{"conv-en", "conv-ja", "returns/refund", "佐藤 花子", "イヤホンを返品したいです。"}, nil},
		{"list newest first", []string{"history", "list"}, []string{"STARTED"}, nil},
		{"list filtered", []string{"history", "list", "--status", "closed"}, []string{"conv-ja"}, []string{"conv-en"}},
		{"list by topic and day", []string{"history", "list", "--topic", "delivery", "--from", "2026-11-26", "--to", "2026-11-26"}, []string{"conv-en"}, []string{"conv-ja"}},
		{"show", []string{"history", "show", "conv-ja"}, []string{"Customer 佐藤 花子", "— handed to Tanaka (reason: complaint)", "Operator Tanaka", "田中と申します。"}, nil},
		{"search japanese", []string{"history", "search", "返品"}, []string{"conv-ja"}, []string{"conv-en"}},
		{"search english prefix", []string{"history", "search", "refund"}, []string{"conv-en", "conv-ja"}, nil},
		{"search nothing", []string{"history", "search", "xyzzy"}, []string{`Nothing found for "xyzzy".`}, nil},
		{"export markdown", []string{"history", "export", "conv-ja", "--format", "md"}, []string{"# Conversation conv-ja", "handed to Tanaka (reason: complaint)", "```text\nイヤホンを返品したいです。\n```"}, nil},
		{"export jsonl all", []string{"history", "export", "--format", "jsonl"}, []string{`"id":"conv-en"`, `"id":"conv-ja"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runHistoryCLI(t, "", append([]string{"--db", db, "--lang", "en"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
			// Everything printed is terminal-safe: stored escape sequences
			// and bidi controls never reach the screen raw.
			if strings.ContainsAny(out, "\x1b\x07\u202e") {
				t.Errorf("raw control characters in output: %q", out)
			}
		})
	}
}

func TestHistoryJSONOutput(t *testing.T) {
	db := historyFixture(t)
	out, _, code := runHistoryCLI(t, "", "--db", db, "history", "list", "--json", "--limit", "1")
	var page transcripts.Page
	if code != 0 || json.Unmarshal([]byte(out), &page) != nil || len(page.Items) != 1 || page.Items[0].ID != "conv-en" || page.Next == "" {
		t.Fatalf("list --json = %d %q", code, out)
	}
	out, _, _ = runHistoryCLI(t, "", "--db", db, "history", "list", "--json", "--limit", "1", "--cursor", page.Next)
	page = transcripts.Page{}
	json.Unmarshal([]byte(out), &page)
	if len(page.Items) != 1 || page.Items[0].ID != "conv-ja" || page.Next != "" {
		t.Fatalf("second page = %q", out)
	}
	out, _, _ = runHistoryCLI(t, "", "--db", db, "history", "search", "返品", "--json")
	var res transcripts.SearchResult
	if json.Unmarshal([]byte(out), &res) != nil || res.Total != 1 {
		t.Fatalf("search --json = %q", out)
	}
	out, _, _ = runHistoryCLI(t, "", "--db", db, "history", "show", "conv-en", "--json")
	c, err := transcripts.DecodeRecord([]byte(out))
	if err != nil || c.Customer.Name != "Evil\x1b[31m Name" {
		t.Fatalf("show --json does not carry the stored text exactly: %v %q", err, out)
	}
	if strings.ContainsRune(out, '\x1b') {
		t.Fatal("show --json printed a raw escape")
	}
}

func TestHistoryExportImportRoundTrip(t *testing.T) {
	db := historyFixture(t)
	dir := t.TempDir()
	export := filepath.Join(dir, "backup.jsonl")
	if _, errOut, code := runHistoryCLI(t, "", "--db", db, "history", "export", "--format", "jsonl", "--out", export); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	if info, _ := os.Stat(export); info.Mode().Perm() != 0o600 {
		t.Fatalf("export mode %o", info.Mode().Perm())
	}
	other := filepath.Join(dir, "other.db")
	out, errOut, code := runHistoryCLI(t, "", "--db", other, "history", "import", export)
	if code != 0 || !strings.Contains(out, "Imported 2 conversations") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	out, _, code = runHistoryCLI(t, "", "--db", other, "history", "import", export)
	if code != 0 || !strings.Contains(out, "Imported 0 conversations") || !strings.Contains(out, "Skipped 2 already stored: conv-en (line 1) conv-ja (line 2)") {
		t.Fatalf("second import: %d %q", code, out)
	}
	again := filepath.Join(dir, "again.jsonl")
	runHistoryCLI(t, "", "--db", other, "history", "export", "--format", "jsonl", "--out", again)
	a, _ := os.ReadFile(export)
	b, _ := os.ReadFile(again)
	if !bytes.Equal(a, b) {
		t.Fatal("export, import, export changed the bytes")
	}

	// Bad lines are reported with their numbers; the good ones go in; exit 1.
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{oops\n"+strings.SplitN(string(a), "\n", 2)[0]+"\n"), 0o600)
	out, errOut, code = runHistoryCLI(t, "", "--db", filepath.Join(dir, "third.db"), "history", "import", bad)
	if code != 1 || !strings.Contains(out, "Imported 1 conversations") || !strings.Contains(out, bad+":1: ") || !strings.Contains(errOut, "1 lines of") {
		t.Fatalf("import with a bad line: %d %q %q", code, out, errOut)
	}
	// Standard input works too.
	out, _, code = runHistoryCLI(t, string(a), "--db", filepath.Join(dir, "fourth.db"), "history", "import", "-")
	if code != 0 || !strings.Contains(out, "Imported 2") {
		t.Fatalf("import from stdin: %d %q", code, out)
	}
}

func TestHistoryDelete(t *testing.T) {
	db := historyFixture(t)
	// No terminal and no --yes: refuse with a usage error.
	_, errOut, code := runHistoryCLI(t, "", "--db", db, "history", "delete", "conv-ja")
	if code != 2 || !strings.Contains(errOut, "--yes") {
		t.Fatalf("delete without terminal: %d %q", code, errOut)
	}

	old := historyIsTerminal
	historyIsTerminal = func(io.Reader) bool { return true }
	defer func() { historyIsTerminal = old }()
	out, errOut, code := runHistoryCLI(t, "n\n", "--db", db, "history", "delete", "conv-ja")
	if code != 0 || !strings.Contains(errOut, "Delete conversation conv-ja") || !strings.Contains(out, "Nothing deleted.") {
		t.Fatalf("declined delete: %d %q %q", code, out, errOut)
	}
	out, _, code = runHistoryCLI(t, "y\n", "--db", db, "history", "delete", "conv-ja")
	if code != 0 || !strings.Contains(out, "Deleted conversation conv-ja.") {
		t.Fatalf("confirmed delete: %d %q", code, out)
	}
	historyIsTerminal = old
	out, _, code = runHistoryCLI(t, "", "--db", db, "history", "delete", "conv-en", "--yes")
	if code != 0 || !strings.Contains(out, "Deleted") {
		t.Fatalf("delete --yes: %d %q", code, out)
	}
	raw, _ := os.ReadFile(db)
	if bytes.Contains(raw, []byte("返品したい")) || bytes.Contains(raw, []byte("parcel")) {
		t.Fatal("deleted text is still in the file")
	}
	_, errOut, code = runHistoryCLI(t, "", "--db", db, "history", "delete", "conv-en", "--yes")
	if code != 1 || !strings.Contains(errOut, "there is no conversation conv-en") {
		t.Fatalf("delete of a missing id: %d %q", code, errOut)
	}
}

func TestHistoryErrors(t *testing.T) {
	db := historyFixture(t)
	usage := [][]string{
		{"history", "show"},
		{"history", "export", "--format", "pdf"},
		{"history", "export", "a", "b"},
		{"history", "list", "--status", "sleeping"},
		{"history", "list", "--from", "yesterday"},
		{"history", "list", "--max-rating", "9"},
		{"history", "list", "--cursor", "!!"},
		{"history", "search"},
		{"history", "search", "!!!"},
		{"history", "import"},
	}
	for _, args := range usage {
		_, errOut, code := runHistoryCLI(t, "", append([]string{"--db", db}, args...)...)
		if code != 2 || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want a one-line usage error", args, code, errOut)
		}
	}
	if _, errOut, code := runHistoryCLI(t, "", "--db", db, "history", "show", "nope"); code != 1 || !strings.Contains(errOut, "there is no conversation nope") {
		t.Errorf("show missing: %d %q", code, errOut)
	}

	// A store with no file yet reads as empty.
	empty := filepath.Join(t.TempDir(), "none", "tsunagu.db")
	if out, _, code := runHistoryCLI(t, "", "--db", empty, "history", "list"); code != 0 || !strings.Contains(out, "No conversations found.") {
		t.Errorf("list of a missing store: %d %q", code, out)
	}
	if _, err := os.Stat(empty); err == nil {
		t.Error("reading created a store")
	}

	// In use by a writer: one sentence naming the pid, quickly, no hang.
	s, err := transcripts.Open(db, transcripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runHistoryCLI(t, "", "--db", db, "history", "list")
	s.Close()
	if code != 1 || !strings.Contains(errOut, "in use by another tsunagu (pid") {
		t.Errorf("list while in use: %d %q", code, errOut)
	}

	// A damaged file: said so in one sentence, no stack trace, and reading
	// commands leave it where and as it is (issue 14 item 8).
	os.WriteFile(db, []byte("this is not a database"), 0o600)
	for _, cmd := range [][]string{{"history", "list"}, {"history", "show", "conv-ja"}, {"history", "search", "返品"}, {"history", "export"}} {
		_, errOut, code = runHistoryCLI(t, "", append([]string{"--db", db}, cmd...)...)
		if code != 1 || !strings.Contains(errOut, "left it as it is") || strings.Contains(errOut, "goroutine") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v of a damaged store: %d %q", cmd, code, errOut)
		}
	}
	if b, _ := os.ReadFile(db); string(b) != "this is not a database" {
		t.Errorf("a reading command changed the damaged file")
	}
	if moved, _ := filepath.Glob(db + ".corrupt-*"); len(moved) > 0 {
		t.Errorf("a reading command moved the damaged file: %v", moved)
	}
}
