package transcripts

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Bit rot: single bits flipped anywhere in a store never crash or hang the
// export, and never change a text silently.
//
// A helper process (TSUNAGU_HELPER=bitflip) takes the flips one by one: it
// writes the template store with one bit flipped, exports everything with
// --skip-damaged semantics, loads each conversation the way `history show`
// does, runs Check, and prints one line per flip. If it dies, the parent
// counts a crash for the flip it was on and starts a new helper after it.

const (
	bitFlipSeed          = 0xb17f11b
	bitFlipConversations = 30
	bitFlipLoadEvery     = 5 // every fifth flip also loads each conversation as history show does
)

// bitFlipTemplate writes a small store with varied conversations: short and
// long messages (some spill onto overflow pages), events with packets,
// training sessions. It is compacted, so few pages are free.
func bitFlipTemplate(t testing.TB, path string) {
	t.Helper()
	s, err := Open(path, Options{Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range bitFlipConversations {
		c := sampleConversation(fmt.Sprintf("conv-%03d", i))
		c.StartedAt = c.StartedAt.Add(time.Duration(i) * time.Hour)
		for j := range c.Entries {
			c.Entries[j].At = c.Entries[j].At.Add(time.Duration(i) * time.Hour)
		}
		if i%6 == 0 {
			c.Entries = append(c.Entries, Entry{At: c.StartedAt.Add(time.Minute), Role: RoleCustomer, Text: killText(i)})
		}
		if _, err := s.CreateConversation(c); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		if _, err := s.SaveTraining(TrainingSession{Trainee: "aiko", ScenarioID: fmt.Sprintf("s%d", i), Score: 0.5, Items: []byte(`{"empathy":1}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
}

type bitFlip struct {
	off int64
	bit uint
}

// usedBytes is the part of a store file holding pages in use: bbolt grows
// the file ahead of need, and flips past its pages cannot matter.
func usedBytes(path string) (int64, error) {
	db, release, err := openRaw(path, 0)
	if err != nil {
		return 0, err
	}
	defer release()
	return int64(db.hwm * db.pageSize), nil
}

func bitFlips(n int, size int64) []bitFlip {
	rng := rand.New(rand.NewPCG(bitFlipSeed, bitFlipSeed))
	out := make([]bitFlip, n)
	for i := range out {
		out[i] = bitFlip{rng.Int64N(size), rng.UintN(8)}
	}
	return out
}

// helperBitFlips runs flips TSUNAGU_HELPER_FROM.. of the template at path.
func helperBitFlips(template string) int {
	data, err := os.ReadFile(template)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	n, _ := strconv.Atoi(os.Getenv("TSUNAGU_HELPER_N"))
	from, _ := strconv.Atoi(os.Getenv("TSUNAGU_HELPER_FROM"))
	want, err := exportLines(template)
	if err != nil {
		fmt.Println("error template:", err)
		return 1
	}
	used, err := usedBytes(template)
	if err != nil {
		fmt.Println("error template:", err)
		return 1
	}
	dir, err := os.MkdirTemp(filepath.Dir(template), "flips-")
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	defer os.RemoveAll(dir)
	out := bufio.NewWriter(os.Stdout)
	to, err := strconv.Atoi(os.Getenv("TSUNAGU_HELPER_TO"))
	if err != nil {
		to = n
	}
	for i, f := range bitFlips(n, used)[from:to] {
		i += from
		fmt.Fprintf(out, "start %d\n", i)
		out.Flush() // so that a crash is pinned on this flip
		flipped := bytes.Clone(data)
		flipped[f.off] ^= 1 << f.bit
		path := filepath.Join(dir, fmt.Sprintf("flip-%d.db", i))
		if err := os.WriteFile(path, flipped, 0o600); err != nil {
			fmt.Fprintln(out, "error", err)
			return 1
		}
		fmt.Fprintf(out, "result %d %s\n", i, classifyFlip(path, want, i%bitFlipLoadEvery == 0))
		os.Remove(path)
		for _, side := range []string{".pid", ".exports"} {
			os.Remove(path + side)
		}
		matches, _ := filepath.Glob(path + ".corrupt-*")
		for _, m := range matches {
			os.Remove(m)
		}
	}
	out.Flush()
	return 0
}

// exportLines exports a sound store: its JSON lines by conversation id.
func exportLines(path string) (map[string]string, error) {
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	lines, _, err := exportSkipping(s)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, l := range lines {
		c, err := DecodeRecord([]byte(l))
		if err != nil {
			return nil, err
		}
		m[c.ID] = l
	}
	return m, nil
}

// exportSkipping exports everything with --skip-damaged semantics.
func exportSkipping(s *Store) (lines []string, rep ExportReport, err error) {
	var buf bytes.Buffer
	rep, err = s.ExportAll(&buf, FormatJSONLines, ExportOptions{SkipDamaged: true})
	if err != nil {
		return nil, rep, err
	}
	for l := range strings.Lines(buf.String()) {
		lines = append(lines, strings.TrimSuffix(l, "\n"))
	}
	return lines, rep, nil
}

// classifyFlip says what one flipped store did: "same" (nothing changed),
// "reported" (an error, or damage named), or "silent ..." (a text changed
// or a conversation went missing without a word: the test fails on it).
func classifyFlip(path string, want map[string]string, loadAll bool) string {
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return "reported open: " + oneLine(err)
	}
	defer s.Close()
	lines, rep, err := exportSkipping(s)
	if err != nil {
		return "reported export: " + oneLine(err)
	}
	skipped := map[string]bool{}
	anonymous := false
	for _, d := range rep.Skipped {
		skipped[d.ID] = true
		anonymous = anonymous || d.ID == ""
	}
	got := map[string]bool{}
	for _, l := range lines {
		got[l] = true
	}
	wantLines := map[string]bool{}
	for id, l := range want {
		wantLines[l] = true
		if !got[l] && !skipped[id] && !anonymous {
			return "silent export left out conversation " + id
		}
	}
	for _, l := range lines {
		if !wantLines[l] {
			return fmt.Sprintf("silent export changed a conversation: %.80s", l)
		}
	}
	if loadAll {
		// Read the way history show and the browser read it (bbolt).
		for id, line := range want {
			c, err := s.Load(id)
			if err != nil {
				continue // reported
			}
			if b, _ := EncodeJSON(c); string(b) != line {
				return "silent show changed conversation " + id
			}
		}
	}
	check, err := s.Check()
	if err != nil {
		return "reported check: " + oneLine(err)
	}
	if len(rep.Skipped) > 0 && check.OK() {
		return "silent check found nothing wrong although export skipped " + rep.Skipped[0].String()
	}
	if len(rep.Skipped) > 0 || !check.OK() {
		return "reported " + oneLine(errors.New(strings.Join(append(check.Index, fmt.Sprint(check.Damaged)), "; ")))
	}
	return "same"
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

func TestBitFlipsNeverCrashHangOrChangeText(t *testing.T) {
	flips := 500
	if v, err := strconv.Atoi(os.Getenv("TSUNAGU_FLIPS")); err == nil && v > 0 {
		flips = v
	}
	if testing.Short() {
		flips = 50
	}
	template := filepath.Join(t.TempDir(), "template.db")
	bitFlipTemplate(t, template)
	os.Remove(template + ".pid")

	// Two helpers share the flips, one per core.
	parts := []*flipRun{{from: 0, to: flips / 2}, {from: flips / 2, to: flips}}
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Go(func() { p.run(t, template, flips) })
	}
	wg.Wait()
	total := flipRun{results: map[string]int{}}
	for _, p := range parts {
		for k, v := range p.results {
			total.results[k] += v
		}
		total.crashes += p.crashes
		total.hangs += p.hangs
		total.problems = append(total.problems, p.problems...)
	}
	t.Logf("%d flips: %d same, %d reported, %d silent, %d crashes, %d hangs", flips,
		total.results["same"], total.results["reported"], total.results["silent"], total.crashes, total.hangs)
	for _, p := range total.problems {
		t.Error(p)
	}
}

// flipRun runs flips from..to-1 in helper processes, starting a new one
// after a flip that killed the last.
type flipRun struct {
	from, to       int
	results        map[string]int
	crashes, hangs int
	problems       []string
}

func (r *flipRun) run(t *testing.T, template string, n int) {
	r.results = map[string]int{}
	for next := r.from; next < r.to; {
		cmd := helperCommand(t, "bitflip", template)
		cmd.Env = append(cmd.Env, fmt.Sprintf("TSUNAGU_HELPER_N=%d", n), fmt.Sprintf("TSUNAGU_HELPER_FROM=%d", next),
			fmt.Sprintf("TSUNAGU_HELPER_TO=%d", r.to))
		// Only a hang trips this: the flips take seconds.
		out, runErr := runWithDeadline(cmd, 10*time.Minute)
		current := -1
		for l := range strings.Lines(out) {
			l = strings.TrimSpace(l)
			switch f := strings.Fields(l); {
			case len(f) >= 2 && f[0] == "start":
				current, _ = strconv.Atoi(f[1])
			case len(f) >= 3 && f[0] == "result":
				i, _ := strconv.Atoi(f[1])
				r.results[f[2]]++
				if f[2] == "silent" {
					r.problems = append(r.problems, fmt.Sprintf("flip %d: %s", i, l))
				}
				next = i + 1
				current = -1
			case strings.HasPrefix(l, "error"):
				r.problems = append(r.problems, "helper: "+l)
				return
			}
		}
		switch {
		case current >= 0:
			if runErr != nil && strings.Contains(runErr.Error(), "hangs") {
				r.hangs++
			} else {
				r.crashes++
			}
			r.problems = append(r.problems, fmt.Sprintf("flip %d: the helper died (%v):\n%s", current, runErr, lastLines(out, 30)))
			next = current + 1
		case runErr != nil:
			r.problems = append(r.problems, fmt.Sprintf("helper failed: %v\n%s", runErr, lastLines(out, 30)))
			return
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
