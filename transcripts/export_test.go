package transcripts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// D32: deleting a conversation removes its text from the raw file, index
// terms included, while other conversations stay.
func TestDeleteRemovesTextFromRawFile(t *testing.T) {
	s, path := openTemp(t)
	secret := Conversation{ID: "secret-conv", StartedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), Lang: "en",
		Customer: Customer{Name: "Zebediah Quintrell"}, OrderID: "777-7777777-7777777",
		Entries: []Entry{{At: time.Date(2026, 11, 20, 9, 0, 1, 0, time.UTC), Role: RoleCustomer, Text: "my address is 42 Xylophone Lane, 秘密の住所です"}}}
	if _, err := s.CreateConversation(secret); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := s.AppendMessage("secret-conv", RoleCustomer, "Zebediah Quintrell", strings.Repeat("Xylophone ", 50+i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateConversation(sampleConversation("keep-me")); err != nil {
		t.Fatal(err)
	}
	if raw, _ := os.ReadFile(path); !bytes.Contains(raw, []byte("Xylophone")) {
		t.Fatal("test setup: the text is not in the file to begin with")
	}
	if err := s.Delete("secret-conv"); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	for _, gone := range []string{"Xylophone", "xylophone", "Zebediah", "zebediah", "秘密", "住所", "777-7777777", "secret-conv"} {
		if bytes.Contains(raw, []byte(gone)) {
			t.Errorf("raw file still contains %q after delete", gone)
		}
	}
	if _, err := s.Load("secret-conv"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load after delete: %v", err)
	}
	if res, _ := s.Search("xylophone", Filter{}, 10); res.Total != 0 {
		t.Fatalf("search still finds the deleted conversation: %+v", res)
	}
	// The store still works after the compaction swapped files.
	if _, err := s.AppendMessage("keep-me", RoleCustomer, "", "still here"); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Load("keep-me"); err != nil || len(c.Entries) != 11 {
		t.Fatalf("other conversation after delete: %d entries, %v", len(c.Entries), err)
	}
	if err := s.Delete("secret-conv"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

// D33: Markdown export is readable, and no content can break out of its block.
func TestMarkdownExport(t *testing.T) {
	c := sampleConversation("md-1")
	md := Markdown(c)
	for _, want := range []string{
		"# Conversation md-1\n",
		"- Customer: 佐藤 花子 (has an account)\n",
		"- Topic: delivery/not\\_arrived\n",
		"**10:00:01 · Customer 佐藤 花子**\n\n```text\n注文した商品が届きません。返品したいです。\n```\n",
		"**10:00:02 · Bot** (intent track\\_order, action answer, confidence 0.93)",
		"*10:00:04 · handed to Tanaka (reason: complaint)*",
		"*10:00:05 · waiting in the queue, position 2*",
		"*10:00:06 · Tanaka joined*",
		"*10:00:08 · callback booked for 2026-11-27T15:00:00+09:00*",
		"*10:00:09 · rated 2 of 5*",
		"*10:00:10 · conversation closed*",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q\n%s", want, md)
		}
	}
}

var hostileTexts = []string{
	"```\n# injected heading\n```",
	"````` five backticks ``` three",
	"<script>alert(1)</script>",
	"[x](javascript:alert(1)) and ![img](http://evil/x.png)",
	"# leading hash\n## another",
	"\x1b[2J\x1b]0;owned\x07 clear screen and title",
	"\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
	"bidi \u202eevil\u202c and zero\u200bwidth",
	"---\n***\n> quote\n| table |",
}

func TestMarkdownExportCannotBreakOut(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	c := Conversation{ID: "evil", StartedAt: at, Lang: "en", Status: StatusOpen,
		Customer: Customer{Name: "[x](javascript:alert(1)) <b>Bob</b> # `code`"}, Topic: "*bold*_x_",
	}
	for i, text := range hostileTexts {
		c.Entries = append(c.Entries, Entry{At: at.Add(time.Duration(i) * time.Second), Role: RoleCustomer, Author: "<img src=x>", Text: text})
	}
	c.Entries = append(c.Entries, Entry{At: at, Role: RoleSystem, Event: EventEscalated, Meta: &Meta{Operator: "](javascript:x)", Reason: "<script>"}})
	md := Markdown(c)

	if strings.ContainsAny(md, "\x1b\x07\u202e\u200b") {
		t.Fatalf("escape or invisible characters survived:\n%q", md)
	}
	// Walk the document as CommonMark does: inside a fence only a closing
	// fence of at least the same length ends it; outside, no raw HTML,
	// link syntax or headings may appear except the document's own.
	lines := strings.Split(md, "\n")
	open := ""
	for i, line := range lines {
		if open != "" {
			if strings.HasPrefix(line, open) && strings.Trim(line, "`") == "" {
				open = ""
			} else if strings.HasPrefix(strings.TrimSpace(line), "```") && len(strings.TrimSpace(line)) >= len(open) && strings.Trim(strings.TrimSpace(line), "`") == "" {
				t.Fatalf("line %d would close the fence early: %q", i+1, line)
			}
			continue
		}
		if m := regexp.MustCompile("^(`{3,})").FindString(line); m != "" {
			open = m
			continue
		}
		if strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "# Conversation ") {
			t.Errorf("line %d is a heading outside a fence: %q", i+1, line)
		}
		if regexp.MustCompile(`(^|[^\\])[<\[]`).MatchString(line) || regexp.MustCompile(`(^|[^\\])\]\(`).MatchString(line) {
			t.Errorf("line %d has unescaped HTML or link syntax: %q", i+1, line)
		}
	}
	if open != "" {
		t.Fatal("a fence was left open")
	}
	for _, text := range []string{"<script>alert(1)</script>", "# leading hash", "````` five backticks ``` three"} {
		if !strings.Contains(md, "\n"+text) {
			t.Errorf("content %q is not kept verbatim inside its block", text)
		}
	}
}

// D33: JSON and JSON Lines export round-trip exactly: export, import into an
// empty store, export again gives the same bytes, unknown fields included.
func TestExportImportRoundTrip(t *testing.T) {
	src, _ := openTemp(t)
	a := sampleConversation("rt-1")
	a.Extra = Extra{"crm_ticket": []byte(`{"id":99,"tags":["vip"]}`)}
	a.Customer.Extra = Extra{"tier": []byte(`"gold"`)}
	a.Entries[1].Extra = Extra{"latency_ms": []byte(`12`)}
	a.Entries[1].Meta.Extra = Extra{"slots": []byte(`{"order_id":"250-1234567-1234567"}`)}
	b := Conversation{ID: "rt-2", StartedAt: time.Date(2026, 11, 26, 1, 2, 3, 500_000_000, time.UTC), Lang: "en",
		Entries: []Entry{{At: time.Date(2026, 11, 26, 1, 2, 4, 0, time.UTC), Role: RoleCustomer, Text: strings.Join(hostileTexts, "\n")}}}
	for _, c := range []Conversation{a, b} {
		if _, err := src.CreateConversation(c); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []Format{FormatJSONLines, FormatJSON, FormatMarkdown} {
		t.Run(string(format), func(t *testing.T) {
			var first bytes.Buffer
			if err := src.Export(&first, format); err != nil {
				t.Fatal(err)
			}
			if format == FormatMarkdown {
				if !strings.Contains(first.String(), "# Conversation rt-2") || !strings.Contains(first.String(), "\n---\n") {
					t.Fatalf("markdown export of all:\n%s", first.String())
				}
				return
			}
			if bytes.ContainsAny(first.Bytes(), "\x1b\u202e") {
				t.Fatal("JSON export carries raw escape or bidi characters")
			}
			dst, _ := openTemp(t)
			rep, err := dst.Import(bytes.NewReader(first.Bytes()))
			if err != nil || rep.Imported != 2 || rep.BadLines != 0 {
				t.Fatalf("import = %+v, %v", rep, err)
			}
			var second bytes.Buffer
			if err := dst.Export(&second, format); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Fatalf("round trip changed the bytes:\n%s\n%s", first.Bytes(), second.Bytes())
			}
			for _, kept := range []string{`"crm_ticket":{"id":99,"tags":["vip"]}`, `"tier":"gold"`, `"latency_ms":12`, `"slots":{"order_id":`} {
				if !strings.Contains(second.String(), kept) {
					t.Errorf("unknown field lost: %s", kept)
				}
			}
		})
	}
}

func TestExportFileIsAtomicAndOnlyOneConversation(t *testing.T) {
	s, _ := openTemp(t)
	for _, id := range []string{"one", "two"} {
		if _, err := s.CreateConversation(sampleConversation(id)); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "one.json")
	os.WriteFile(out, []byte("old contents"), 0o644)
	if err := s.ExportFile(out, FormatJSON, "one"); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(out)
	var c Conversation
	if err := json.Unmarshal(data, &c); err != nil || c.ID != "one" || len(c.Entries) != 10 {
		t.Fatalf("exported file: %v %+v", err, c.ID)
	}
	info, _ := os.Stat(out)
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("export replaced with mode %o", info.Mode().Perm())
	}
	if err := s.ExportFile(filepath.Join(t.TempDir(), "x.json"), FormatJSON, "missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("export of a missing id: %v", err)
	}
	if err := s.ExportFile(out, FormatJSON, "missing"); err == nil {
		t.Fatal("failed export reported success")
	}
	if again, _ := os.ReadFile(out); !bytes.Equal(again, data) {
		t.Fatal("a failed export damaged the previous file")
	}
}

func TestImport(t *testing.T) {
	s, _ := openTemp(t)
	if _, err := s.CreateConversation(sampleConversation("exists")); err != nil {
		t.Fatal(err)
	}
	good := func(id string) string {
		b, _ := EncodeJSON(Conversation{ID: id, StartedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Lang: "en",
			Entries: []Entry{{At: time.Date(2026, 1, 1, 0, 0, 1, 0, time.UTC), Role: RoleCustomer, Text: "hello " + id}}})
		return string(b)
	}
	pretty, _ := json.MarshalIndent(Conversation{ID: "pretty", StartedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), Lang: "ja", Entries: []Entry{}}, "", "  ")
	input := strings.Join([]string{
		good("a"),
		"",
		`{"id":"no-time","lang":"en","entries":[]}`,
		good("exists"),
		`not json at all`,
		good("a"),
		`{"id":"bad-role","started_at":"2026-01-01T00:00:00Z","lang":"en","entries":[{"at":"2026-01-01T00:00:00Z","role":"ghost","text":"boo"}]}`,
		`{"id":"no-text","started_at":"2026-01-01T00:00:00Z","lang":"en","entries":[{"at":"2026-01-01T00:00:00Z","role":"customer"}]}`,
		`{"id":"wrong-type","started_at":"2026-01-01T00:00:00Z","lang":"en","entries":"many"}`,
		`{"id":"truncated","started_at":"2026-01-01T00:00:00Z"`,
		good("b"),
		string(pretty),
		good("c") + "\r",
	}, "\n")
	rep, err := s.Import(strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 4 || fmt.Sprint(rep.Skipped) != "[{4 exists} {6 a}]" || rep.BadLines != 6 {
		t.Fatalf("report = %+v", rep)
	}
	wantLines := []int{3, 5, 7, 8, 9, 10}
	for i, le := range rep.Errors {
		if le.Line != wantLines[i] {
			t.Errorf("error %d on line %d, want %d: %s", i, le.Line, wantLines[i], le.Err)
		}
	}
	if c, _ := s.Load("exists"); len(c.Entries) != 10 {
		t.Fatal("an existing conversation was overwritten")
	}
	if n, _ := s.Count(); n != 5 {
		t.Fatalf("%d conversations after import, want 5", n)
	}
	if res, _ := s.Search("hello", Filter{}, 10); res.Total != 3 {
		t.Fatalf("imported text not searchable: %+v", res)
	}
}

func FuzzDecodeRecord(f *testing.F) {
	seed, _ := EncodeJSON(sampleConversation("seed"))
	f.Add(seed)
	f.Add([]byte(`{"id":"x","started_at":"2026-11-26T10:00:00+09:00","lang":"ja","future":{"a":[1,2]},"entries":[{"at":"2026-11-26T10:00:01+09:00","role":"system","event":"new_event","meta":{"packet":{},"new":1}}]}`))
	f.Add([]byte(`{"id":"","entries":null}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"id":"\u0000"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeRecord(data)
		if err != nil {
			return
		}
		// What decodes re-encodes, and that encoding is a fixed point.
		once, err := EncodeJSON(c)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		c2, err := DecodeRecord(once)
		if err != nil {
			t.Fatalf("decode of own encoding %s: %v", once, err)
		}
		twice, _ := EncodeJSON(c2)
		if !bytes.Equal(once, twice) {
			t.Fatalf("not stable:\n%s\n%s", once, twice)
		}
		// The strict fast path and the extras-keeping path agree.
		var slow plainConversation
		if err := json.Unmarshal(data, &slow); err == nil {
			extra, _ := splitExtra(data, conversationKeys)
			sc := Conversation(slow)
			sc.Extra = extra
			if b, _ := EncodeJSON(sc); !bytes.Equal(b, once) {
				t.Fatalf("fast and slow decoding differ:\n%s\n%s", once, b)
			}
		}
	})
}

func FuzzImport(f *testing.F) {
	seed, _ := EncodeJSON(sampleConversation("seed"))
	f.Add(append(append(seed, '\n'), seed...))
	f.Add([]byte("{\n\"id\":\"p\",\"started_at\":\"2026-11-26T10:00:00Z\",\"lang\":\"en\",\"entries\":[]\n}\n"))
	f.Add([]byte("\n\n{\"id\"\n"))
	f.Add([]byte(`{"id":"x","started_at":"2026-11-26T10:00:00Z","lang":"en","entries":[{"at":"2026-11-26T10:00:00Z","role":"customer","text":"4111 1111 1111 1111 \xff"}]}`))
	s, err := Open(filepath.Join(f.TempDir(), "fuzz.db"), Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	f.Fuzz(func(t *testing.T, data []byte) {
		before, _ := s.Count()
		rep, err := s.Import(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("import stopped: %v", err)
		}
		after, _ := s.Count()
		if after-before != rep.Imported {
			t.Fatalf("report says %d imported, store grew by %d", rep.Imported, after-before)
		}
		if rep.BadLines < len(rep.Errors) {
			t.Fatalf("bad line count %d below %d errors", rep.BadLines, len(rep.Errors))
		}
	})
}
