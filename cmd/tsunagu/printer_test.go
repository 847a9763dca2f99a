package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"tsunagu/tui/serve/servetest"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"tsunagu/transcripts"
)

// The hostile text of these tests: OSC 52 (clipboard), a screen clear, a
// bidi override, C1 controls raw and as UTF-8, BEL, CR, NUL, DEL, an isolate.
const hostileText = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202eevil\x9b31m\u009b\u0085\a\rsafe\x00\x7f\u2066x\x1b]8;;http://evil.example\x1b\\link"

// As YAML double-quoted escapes, which a rules or scenario file may carry.
const hostileYAML = `\e]52;c;ZXZpbA==\a\e[2J\u202eevil\u009b\u0085\a\rsafe\x7f\u2066x`

// unsafeOutput says what in out a terminal must never receive: ESC and
// every other C0 control but newline and tab, DEL, C1 controls (raw or as
// UTF-8), bidi embeddings, overrides, isolates and marks, invalid UTF-8.
func unsafeOutput(out []byte) string {
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRune(out[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return fmt.Sprintf("invalid UTF-8 byte %#x at %d", out[i], i)
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
			return fmt.Sprintf("control %U at %d", r, i)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			return fmt.Sprintf("bidi control %U at %d", r, i)
		}
		i += n
	}
	return ""
}

// hostileWorld writes the files and the store the hostile commands use.
type hostileWorld struct {
	dir, db, rules, operators, scenarios, profile, imports, badDB string
	// deskKeys lists a real key for an operator id full of controls.
	deskKeys string
}

func newHostileWorld(t *testing.T) hostileWorld {
	t.Helper()
	dir := t.TempDir()
	w := hostileWorld{dir: dir, db: filepath.Join(dir, "data", "t.db"), rules: filepath.Join(dir, "rules.yaml"),
		operators: filepath.Join(dir, "ops.yaml"), scenarios: filepath.Join(dir, "scenarios"),
		profile: filepath.Join(dir, "profile.yaml"), imports: filepath.Join(dir, "in.jsonl"),
		badDB: filepath.Join(dir, "bad\x1b[2J\u202e.db")}
	write := func(path, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// A rules file whose intent key is written with YAML escapes.
	write(w.rules, "intents:\n  \""+hostileYAML+"\":\n    en: {label: \""+hostileYAML+"\", reply: y}\n")
	write(w.operators, "pool:\n  name: \""+hostileYAML+"\"\n  \""+hostileYAML+"\": 1\n")
	write(w.profile, "profile:\n  \""+hostileYAML+"\": 1\n")
	w.deskKeys = filepath.Join(dir, "desk_keys")
	key := strings.TrimSpace(servetest.AuthorizedLine(servetest.NewSigner(t), "x", "operator"))
	_, keyOnly, _ := strings.Cut(key, " ")
	write(w.deskKeys, "operator=\""+strings.NewReplacer("\"", "", "\\", "").Replace(hostileText)+"\",role=\"operator\" "+keyOnly+"\n")
	// A scenario whose title carries OSC 52, a screen clear and U+202E.
	scenario, err := os.ReadFile(filepath.Join("..", "..", "handoff", "training", "scenarios", "cancel-membership.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(scenario), "id: cancel-membership", "id: hostile", 1)
	if i := strings.Index(s, "  title:"); i >= 0 {
		end := strings.Index(s[i:], "\n  persona:")
		s = s[:i] + "  title:\n    en: \"" + hostileYAML + "\"\n    ja: \"" + hostileYAML + "\"" + s[i+end:]
	}
	write(filepath.Join(w.scenarios, "hostile.yaml"), s)
	write(w.imports, `{"id":"imp-1","started_at":"2026-11-26T10:00:00+09:00","lang":"en","customer":{"name":"`+jsonEscape(hostileText)+`"},"entries":[{"at":"2026-11-26T10:00:01+09:00","role":"customer","text":"`+jsonEscape(hostileText)+`"}]}`+"\n"+
		"{\"id\":\"bad\x1b[2J\u202e\",\x07 broken\n"+
		`{"id":"x","started_at":"`+jsonEscape(hostileText)+`","lang":"en","entries":[]}`+"\n")
	write(w.badDB, "\x1b[2J\u202e not a store")

	st, err := transcripts.Open(w.db, transcripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("", 9*3600))
	_, err = st.CreateConversation(transcripts.Conversation{ID: "conv-h", StartedAt: at, Lang: "en",
		Customer: transcripts.Customer{Name: hostileText}, OrderID: hostileText, Topic: hostileText, Channel: hostileText,
		Status: transcripts.StatusEscalated, Extra: transcripts.Extra{"note": []byte(`"` + jsonEscape(hostileText) + `"`)},
		Entries: []transcripts.Entry{
			{At: at.Add(time.Second), Role: transcripts.RoleCustomer, Author: hostileText, Text: hostileText + "\nrefund"},
			{At: at.Add(2 * time.Second), Role: transcripts.RoleBot, Text: hostileText, Meta: &transcripts.Meta{Intent: hostileText, Action: hostileText, Reason: hostileText}},
			{At: at.Add(3 * time.Second), Role: transcripts.RoleSystem, Event: transcripts.Event(hostileText), Meta: &transcripts.Meta{Operator: hostileText, Reason: hostileText}},
			{At: at.Add(4 * time.Second), Role: transcripts.RoleOperator, Author: hostileText, Text: hostileText},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return w
}

func jsonEscape(s string) string {
	b, _ := transcripts.SafeJSON(s)
	return strings.Trim(string(b), `"`)
}

// Every command, run with hostile files, stored text and arguments, writes
// only safe bytes to standard output and standard error: one sanitising
// printer is in front of both.
func TestEveryCommandPrintsOnlySafeBytes(t *testing.T) {
	w := newHostileWorld(t)
	db := []string{"--db", w.db}
	hostileArg := hostileText
	cases := []struct {
		command string // the command path it covers
		stdin   string
		args    []string
	}{
		{"tsunagu", "", append(db, "--lang", hostileArg)},
		{"tsunagu", "", []string{hostileArg}},
		{"tsunagu", "", []string{"--" + hostileArg}},
		{"tsunagu", "", []string{"--clock", hostileArg, "history"}},
		{"tsunagu", "", []string{"--help"}},
		{"tsunagu help", "", []string{"help", "history", "export"}},
		{"tsunagu help", "", []string{"help", hostileArg}},
		{"tsunagu completion", "", []string{"completion", "bash"}},
		{"tsunagu completion", "", []string{"completion", hostileArg}},
		{"tsunagu bot", "{\"conversation\":\"" + jsonEscape(hostileText) + "\",\"text\":\"" + jsonEscape(hostileText) + " where is my order 4111 1111 1111 1111\"}\n" + hostileText + "\n", []string{"bot"}},
		{"tsunagu bot", "", []string{"bot", "--rules", w.rules}},
		{"tsunagu bot", "", []string{"bot", "--rules", w.badDB}},
		{"tsunagu chat", hostileText, append(db, "chat")},
		{"tsunagu chat", "", append(db, "chat", "--profile", w.profile)},
		{"tsunagu chat", "", append(db, "chat", hostileArg)},
		{"tsunagu chat", "{\"conversation\":\"" + jsonEscape(hostileText) + "\",\"start\":{\"account\":true,\"order\":\"" + jsonEscape(hostileText) + "\",\"topic\":\"" + jsonEscape(hostileText) + "\"}}\n" +
			"{\"conversation\":\"" + jsonEscape(hostileText) + "\",\"text\":\"" + jsonEscape(hostileText) + " 4111 1111 1111 1111 12/27 123\"}\n" +
			"{\"conversation\":\"" + jsonEscape(hostileText) + "\",\"close\":true}\n" + hostileText + "\n",
			append(db, "chat", "--jsonl")},
		{"tsunagu chat", "", append(db, "--profile", w.profile, "chat", "--jsonl")},
		{"tsunagu history", "", append(db, "history")},
		{"tsunagu history", "", []string{"--db", w.badDB, "history"}},
		{"tsunagu history list", "", append(db, "history", "list")},
		{"tsunagu history list", "", append(db, "history", "list", "--json")},
		{"tsunagu history list", "", append(db, "history", "list", "--status", hostileArg, "--cursor", hostileArg)},
		{"tsunagu history list", "", append(db, "history", "list", "--cursor", "AAAAAAAAAAAAAAAAAA")},
		{"tsunagu history show", "", append(db, "history", "show", "conv-h")},
		{"tsunagu history show", "", append(db, "history", "show", "conv-h", "--json")},
		{"tsunagu history show", "", append(db, "history", "show", hostileArg)},
		{"tsunagu history search", "", append(db, "history", "search", "refund")},
		{"tsunagu history search", "", append(db, "history", "search", hostileArg)},
		{"tsunagu history search", "", append(db, "history", "search", "\x1b[2J")},
		{"tsunagu history export", "", append(db, "history", "export", "--format", "md")},
		{"tsunagu history export", "", append(db, "history", "export", "--format", "jsonl", "--skip-damaged")},
		{"tsunagu history export", "", append(db, "history", "export", "conv-h", "--format", "json")},
		{"tsunagu history export", "", append(db, "history", "export", hostileArg, "--format", hostileArg)},
		{"tsunagu history export", "", append(db, "history", "export", "--format", "md", "--out", filepath.Join(w.dir, "no\x1b[2Jdir", "x.md"))},
		{"tsunagu history check", "", append(db, "history", "check")},
		{"tsunagu history check", "", append(db, "history", "check", "--json")},
		{"tsunagu history import", "", append(db, "history", "import", w.imports)},
		{"tsunagu history import", hostileText + "\n", append(db, "history", "import", "-", "--json")},
		{"tsunagu history import", "", append(db, "history", "import", filepath.Join(w.dir, hostileArg))},
		{"tsunagu history delete", "", append(db, "history", "delete", hostileArg)},
		{"tsunagu history delete", "", append(db, "history", "delete", hostileArg, "--yes")},
		{"tsunagu history delete", "", append(db, "history", "delete", "imp-1", "--yes")},
		{"tsunagu rules", "", []string{"rules"}},
		{"tsunagu rules check", "", []string{"rules", "check", w.rules, w.operators, w.profile, filepath.Join(w.scenarios, "hostile.yaml"), w.badDB}},
		{"tsunagu sim", "", []string{"sim", "--operators", w.operators}},
		{"tsunagu sim", "", []string{"sim", "--hours", "1", "--seed", "3"}},
		{"tsunagu sim", "", []string{"sim", "--hours", hostileArg}},
		{"tsunagu train", "", []string{"train", "--list", "--scenarios", w.scenarios, "--lang", "en"}},
		{"tsunagu train", "", []string{"train", "--list", "--json", "--scenarios", w.scenarios}},
		{"tsunagu train", hostileText + "\n/transfer " + hostileText + "\n/close\n",
			append(db, "train", "--plain", "--scenarios", w.scenarios, "--scenario", "hostile", "--trainee", hostileArg, "--lang", "en")},
		{"tsunagu train", "", append(db, "train", "--scenario", hostileArg)},
		{"tsunagu train history", "", append(db, "train", "history")},
		{"tsunagu train history", "", append(db, "train", "history", "--json")},
		{"tsunagu train export", "", append(db, "train", "export", "1")},
		{"tsunagu train replay", "", append(db, "train", "replay", "1")},
		{"tsunagu train replay", "", append(db, "train", "replay", hostileArg)},
		{"tsunagu train import", "", append(db, "train", "import", w.scenarios)},
		{"tsunagu train import", "", append(db, "train", "import", hostileArg)},
		{"tsunagu train export", "", append(db, "train", "export", hostileArg)},
		{"tsunagu train from-history", "", append(db, "train", "from-history", "conv-h")},
		{"tsunagu train from-history", "", append(db, "train", "from-history", hostileArg)},
		{"tsunagu train drill", hostileText + "\n" + strings.Repeat("e "+hostileText+"\n", 20), []string{"train", "drill", "--plain"}},
		{"tsunagu serve", "", append(db, "serve", hostileArg)},
		{"tsunagu serve", "", append(db, "serve", "--desk-keys", w.rules)},
		{"tsunagu serve", "", append(db, "serve", "--desk-keys", filepath.Join(w.dir, hostileArg))},
		{"tsunagu serve", "", append(db, "serve", "--desk-keys", w.deskKeys)},
		{"tsunagu serve", "", append(db, "serve", "--addr", hostileArg)},
		{"tsunagu serve", "", []string{"--db", w.badDB, "serve", "--addr", "127.0.0.1:0"}},
	}

	covered := map[string]bool{}
	for i, tc := range cases {
		var out, errOut bytes.Buffer
		code := run(tc.args, strings.NewReader(tc.stdin), &out, &errOut)
		covered[tc.command] = true
		for _, stream := range []struct {
			name string
			b    []byte
		}{{"stdout", out.Bytes()}, {"stderr", errOut.Bytes()}} {
			if bad := unsafeOutput(stream.b); bad != "" {
				t.Errorf("case %d (%s, %q): %s holds %s:\n%q", i, tc.command, tc.args, stream.name, bad, stream.b)
			}
		}
		if out.Len()+errOut.Len() == 0 && code != 0 {
			t.Errorf("case %d (%s): exit %d with nothing said", i, tc.command, code)
		}
	}

	// Every command of the tree, cobra's help and completion included.
	root := newRootCmd(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !covered[c.CommandPath()] && !strings.HasPrefix(c.CommandPath(), "tsunagu completion ") {
			t.Errorf("no hostile case runs %q", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// The final error line in particular: one line, sanitised, whatever the
// error quotes (here a rules file key written with YAML escapes).
func TestErrorLineIsSanitised(t *testing.T) {
	w := newHostileWorld(t)
	for _, args := range [][]string{{"bot", "--rules", w.rules}, {"rules", "check", w.rules}, {"--db", w.badDB, "history", "list"}} {
		var out, errOut bytes.Buffer
		code := run(args, strings.NewReader(""), &out, &errOut)
		if code == 0 || strings.Count(errOut.String(), "\n") != 1 || !strings.HasPrefix(errOut.String(), "tsunagu: ") {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut.String())
		}
		if bad := unsafeOutput(errOut.Bytes()); bad != "" {
			t.Errorf("%q: stderr holds %s: %q", args, bad, errOut.String())
		}
		if !strings.Contains(out.String()+errOut.String(), "evil") && !strings.Contains(errOut.String(), "bad") {
			t.Errorf("%q: the offending text is not named at all: %q %q", args, out.String(), errOut.String())
		}
	}
}
