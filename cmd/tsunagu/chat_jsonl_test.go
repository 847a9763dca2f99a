package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// runJSONL runs `tsunagu chat --jsonl` on input and returns the decoded
// output lines.
func runJSONL(t *testing.T, db, lang, input string) []map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	code := run([]string{"--db", db, "--lang", lang, "--clock", "2026-11-26T10:00:00+09:00", "--seed", "5", "chat", "--jsonl"},
		strings.NewReader(input), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var lines []map[string]any
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v map[string]any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("output line is not JSON: %q", sc.Text())
		}
		lines = append(lines, v)
	}
	return lines
}

// The done-when conversation of issue 10: a start line, a vague message, a
// request for a person, the choice, waiting and the close with ratings print
// every event kind they went through, and history shows the same
// conversation.
func TestChatJSONLWholeConversation(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "t.db")
			vague, person := "I have a problem", "I want to talk to a person"
			if lang == "ja" {
				vague, person = "ちょっと困っています", "担当者と話したいです"
			}
			input := `{"conversation":"c1","start":{"account":true,"order":"250-1234567-1234567","topic":"delivery/not_arrived"}}
{"conversation":"c1","text":"` + vague + `"}
{"conversation":"c1","text":"` + person + `"}
{"conversation":"c1","choose":"first"}
{"conversation":"c1","wait":"90s"}
{"conversation":"c1","close":true,"rating":{"bot":4,"operator":5}}
`
			lines := runJSONL(t, db, lang, input)
			seen := map[string]int{}
			var id, lastAt string
			for _, l := range lines {
				if e, ok := l["error"]; ok {
					t.Fatalf("error line: %v", e)
				}
				kind, _ := l["kind"].(string)
				seen[kind]++
				if l["conversation"] != "c1" {
					t.Fatalf("line without its conversation: %v", l)
				}
				at, _ := l["at"].(string)
				if at < lastAt {
					t.Fatalf("%s at %s comes after %s: not in simulated-time order", kind, at, lastAt)
				}
				lastAt = at
				id, _ = l["id"].(string)
			}
			for _, k := range []string{"bot", "customer", "choice", "joined", "operator", "closed", "case"} {
				if seen[k] == 0 {
					t.Errorf("no %q event: %v", k, seen)
				}
			}
			if seen["closed"] != 1 {
				t.Errorf("%d closed events", seen["closed"])
			}
			var out, errb bytes.Buffer
			if code := run([]string{"--db", db, "--lang", lang, "history", "show", id, "--json"}, strings.NewReader(""), &out, &errb); code != 0 {
				t.Fatalf("history show %s: exit %d: %s", id, code, errb.String())
			}
			var conv struct {
				Status  string `json:"status"`
				Entries []struct {
					Role  string `json:"role"`
					Text  string `json:"text"`
					Event string `json:"event"`
				} `json:"entries"`
			}
			if err := json.Unmarshal(out.Bytes(), &conv); err != nil {
				t.Fatal(err)
			}
			var customer []string
			for _, e := range conv.Entries {
				if e.Role == "customer" {
					customer = append(customer, e.Text)
				}
			}
			if conv.Status != "closed" || len(customer) != 2 || customer[0] != vague || customer[1] != person {
				t.Fatalf("stored status %s, customer lines %q", conv.Status, customer)
			}
		})
	}
}

// A bad line gets an error line with its number, and the rest go on.
func TestChatJSONLBadLines(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	input := strings.Join([]string{
		`{"conversation":"c1","text":"where is my order?"}`,
		`not json`,
		`{"conversation":"c1","choose":"first"}`,
		`{"conversation":"c1","wait":"soon"}`,
		`{"conversation":"c1","text":"hi","close":true}`,
		`{"conversation":"c2","start":{"topic":"nope/nothing"}}`,
		`{"conversation":"c1","texts":"typo"}`,
		"{\"conversation\":\"c1\",\"text\":\"\xff\xfe bad bytes\"}",
		`{"conversation":"c1","close":true}`,
		`{"conversation":"c1","text":"after the close"}`,
		`{"conversation":"c3","start":{"account":true,"topic":"delivery/not_arrived"}}`, // the app offers it only with an order
	}, "\n")
	lines := runJSONL(t, db, "en", input)
	errorsAt := map[float64]bool{}
	customers := 0
	for _, l := range lines {
		if _, ok := l["error"]; ok {
			n, _ := l["line"].(float64)
			errorsAt[n] = true
		}
		if l["kind"] == "customer" {
			customers++
		}
	}
	for _, n := range []float64{2, 3, 4, 5, 6, 7, 10, 11} {
		if !errorsAt[n] {
			t.Errorf("no error for line %v: %v", n, errorsAt)
		}
	}
	if errorsAt[1] || errorsAt[8] || errorsAt[9] || customers != 2 {
		t.Errorf("good lines were refused (%v) or lost (%d customer lines)", errorsAt, customers)
	}
}

// Two runs with the same seed and clock print the same events.
func TestChatJSONLDeterministic(t *testing.T) {
	input := `{"conversation":"c1","text":"I want to talk to a person"}
{"conversation":"c1","choose":"native"}
{"conversation":"c1","wait":"3m"}
`
	a := runJSONL(t, filepath.Join(t.TempDir(), "a.db"), "en", input)
	b := runJSONL(t, filepath.Join(t.TempDir(), "b.db"), "en", input)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Fatalf("runs differ:\n%s\n%s", ja, jb)
	}
}

// FuzzChatJSONLLine: no input line crashes the runner or stops the lines
// after it from being read.
func FuzzChatJSONLLine(f *testing.F) {
	for _, s := range []string{
		`{"conversation":"c1","text":"hello"}`,
		`{"conversation":"c1","start":{"account":true,"order":"250-1234567-1234567","topic":"delivery/not_arrived"}}`,
		`{"conversation":"c1","close":true,"rating":{"bot":9}}`,
		`{"conversation":"c1","wait":"-5s"}`,
		`{"conversation":"c1","callback":"+81 90 1234 5678"}`,
		`[1,2,3]`, `{}`, "\x00\x1b[2J", `{"conversation":null,"text":null}`,
	} {
		f.Add(s)
	}
	db := filepath.Join(f.TempDir(), "t.db")
	f.Fuzz(func(t *testing.T, line string) {
		line = strings.ReplaceAll(line, "\n", " ")
		var out, errb bytes.Buffer
		input := line + "\n" + `{"conversation":"zz","text":"still here"}` + "\n"
		code := run([]string{"--db", db, "--clock", "2026-11-26T10:00:00+09:00", "chat", "--jsonl"}, strings.NewReader(input), &out, &errb)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		if !strings.Contains(out.String(), "still here") {
			t.Fatalf("the line after %q was not handled:\n%s", line, out.String())
		}
	})
}

// Output lines pass the sanitising printer (printer.go) and still decode to
// the same values: what the printer would remove is written as \u escapes.
func TestChatJSONLOutputSurvivesThePrinter(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	key := "c\u202e\x1b[2J\u0085"
	esc := jsonEscape(key)
	input := `{"conversation":"` + esc + `","start":{"account":true,"order":"250-1234567-1234567","topic":"delivery/not_arrived"}}
{"conversation":"` + esc + `","text":"where is my parcel \u2066\u009b31m"}
`
	lines := runJSONL(t, db, "en", input)
	if len(lines) == 0 {
		t.Fatal("no output")
	}
	for _, l := range lines {
		if l["conversation"] != key {
			t.Fatalf("conversation %q, want %q: %v", l["conversation"], key, l)
		}
	}
}
