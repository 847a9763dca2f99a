package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// multiSet is one of bot/testdata/multi's files: messages with two distinct
// problems ("two") and one-problem look-alikes ("one").
type multiSet struct {
	two, one []string
}

func readMultiSet(t *testing.T, name string) multiSet {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "bot", "testdata", "multi", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var s multiSet
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		switch {
		case ok && label == "two":
			s.two = append(s.two, text)
		case ok && label == "one":
			s.one = append(s.one, text)
		default:
			t.Fatalf("%s:%d: want \"two\" or \"one\", a tab and the message", name, n)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return s
}

// multiIssueRate feeds each message, as its own conversation, through the
// `tsunagu bot` filter and returns the share escalated as multi_issue, with
// the messages that went the other way than want.
func multiIssueRate(t *testing.T, texts []string, want bool) (float64, []string) {
	t.Helper()
	var in bytes.Buffer
	for i, text := range texts {
		line, _ := json.Marshal(map[string]string{"conversation": fmt.Sprint("m", i), "text": text})
		in.Write(append(line, '\n'))
	}
	var out bytes.Buffer
	if err := runBotFilter(sharedBotEngine(), "en", &in, &out); err != nil {
		t.Fatal(err)
	}
	outs := decodeLines(t, out.String())
	if len(outs) != len(texts) {
		t.Fatalf("%d messages but %d decisions", len(texts), len(outs))
	}
	multi := 0
	var wrong []string
	for i, o := range outs {
		got := o.Action == "escalate" && o.Reason == "multi_issue"
		if got {
			multi++
		}
		if got != want {
			wrong = append(wrong, fmt.Sprintf("%q → %s/%s/%s", texts[i], o.Intent, o.Action, o.Reason))
		}
	}
	return float64(multi) / float64(len(texts)), wrong
}

// TestMultiIssueSets measures, through `tsunagu bot`, how often two-problem
// messages escalate as multi_issue and how often one-problem look-alikes do,
// per language. The fresh sets were written before the rule was tuned and
// never used to tune it; they must reach the README's figures (at least 90%
// and at most 5%). The development sets were tuned on and are reported.
func TestMultiIssueSets(t *testing.T) {
	for _, tc := range []struct {
		file  string
		fresh bool
	}{
		{"fresh_en.tsv", true}, {"fresh_ja.tsv", true}, {"dev_en.tsv", false}, {"dev_ja.tsv", false}, {"dev2_ja.tsv", false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s := readMultiSet(t, tc.file)
			two, missed := multiIssueRate(t, s.two, true)
			one, false_ := multiIssueRate(t, s.one, false)
			t.Logf("%s: two problems → multi_issue %.1f%% of %d; one-problem look-alikes → multi_issue %.1f%% of %d",
				tc.file, 100*two, len(s.two), 100*one, len(s.one))
			for _, m := range missed {
				t.Logf("missed: %s", m)
			}
			for _, m := range false_ {
				t.Logf("false multi_issue: %s", m)
			}
			if tc.fresh && (two < 0.90 || one > 0.05) {
				t.Errorf("%s: want at least 90%% and at most 5%%, got %.1f%% and %.1f%%", tc.file, 100*two, 100*one)
			}
		})
	}
}
