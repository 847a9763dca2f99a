package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"tsunagu/transcripts"
)

// damagedFixture is historyFixture with one bit of conv-ja's first message
// flipped in place, as bit rot would.
func damagedFixture(t *testing.T) string {
	t.Helper()
	db := historyFixture(t)
	bdb, err := bbolt.Open(db, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("entries"))
		k, v := b.Cursor().Seek([]byte("conv-ja\x00"))
		if k == nil {
			return errors.New("no entry")
		}
		v = bytes.Clone(v)
		v[len(v)-4] ^= 0x02
		return b.Put(bytes.Clone(k), v)
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// history check verifies the whole store and says what is damaged, with
// exit 1; export stops at damage and says which conversation and what to
// do, or with --skip-damaged writes everything else and lists the rest.
func TestHistoryWithADamagedConversation(t *testing.T) {
	tests := []struct {
		name       string
		damaged    bool
		args       []string
		code       int
		stdout     []string
		notStdout  []string
		stderr     []string
		fileExists bool // for --out
	}{
		{"check, sound", false, []string{"history", "check"}, 0,
			[]string{"2 conversations (4 messages and events) and 0 training sessions are sound", "Nothing is damaged."}, nil, nil, false},
		{"check, damaged", true, []string{"history", "check"}, 1,
			[]string{"1 conversations (1 messages and events)", "Damaged (1):", "conversation conv-ja: entry 1 fails its checksum"}, nil,
			[]string{"is damaged: 1 records cannot be trusted", "--skip-damaged"}, false},
		{"check --json", true, []string{"history", "check", "--json"}, 1,
			[]string{`"damaged":[{"id":"conv-ja","what":"entry 1 fails its checksum"}]`}, nil, nil, false},
		{"check with an argument", false, []string{"history", "check", "x"}, 2, nil, nil, []string{"check takes no arguments"}, false},
		{"export stops at the damage", true, []string{"history", "export", "--format", "jsonl"}, 1,
			[]string{`"id":"conv-en"`}, []string{`"id":"conv-ja"`},
			[]string{"the export stopped after 1 of 2 conversations: conv-ja is damaged (entry 1 fails its checksum)",
				"tsunagu history check", "add --skip-damaged to export the 1 others"}, false},
		{"export --out writes nothing when it stops", true, []string{"history", "export", "--format", "jsonl", "--out", "OUT"}, 1,
			nil, nil, []string{"conv-ja is damaged", "nothing was written to", "--skip-damaged"}, false},
		{"export --skip-damaged", true, []string{"history", "export", "--format", "jsonl", "--skip-damaged"}, 0,
			[]string{`"id":"conv-en"`}, []string{`"id":"conv-ja"`},
			[]string{"skipped damaged conversation conv-ja: entry 1 fails its checksum", "exported 1 conversations and skipped 1 damaged"}, false},
		{"export --skip-damaged --out", true, []string{"history", "export", "--format", "md", "--skip-damaged", "--out", "OUT"}, 0,
			nil, nil, []string{"skipped damaged conversation conv-ja"}, true},
		{"export --skip-damaged, nothing damaged", false, []string{"history", "export", "--format", "jsonl", "--skip-damaged"}, 0,
			[]string{`"id":"conv-en"`, `"id":"conv-ja"`}, nil, nil, false},
		{"show names the damage", true, []string{"history", "show", "conv-ja"}, 1,
			nil, nil, []string{"conversation conv-ja is damaged: entry 1 fails its checksum", "tsunagu history check"}, false},
		{"export of that one", true, []string{"history", "export", "conv-ja", "--format", "md"}, 1,
			nil, nil, []string{"conversation conv-ja is damaged"}, false},
		{"the others still show", true, []string{"history", "show", "conv-en"}, 0, []string{"where is my parcel"}, nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := historyFixture(t)
			if tt.damaged {
				db = damagedFixture(t)
			}
			outFile := filepath.Join(t.TempDir(), "backup.out")
			args := append([]string{"--db", db}, tt.args...)
			for i, a := range args {
				if a == "OUT" {
					args[i] = outFile
				}
			}
			stdout, stderr, code := runHistoryCLI(t, "", args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.notStdout {
				if strings.Contains(stdout, w) {
					t.Errorf("stdout has %q", w)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(outFile); (err == nil) != tt.fileExists {
				t.Errorf("--out file exists: %v, want %v", err == nil, tt.fileExists)
			}
			left, _ := filepath.Glob(filepath.Join(filepath.Dir(outFile), ".*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// The list shows a conversation whose record is damaged, saying so, and
// the rest as usual.
func TestHistoryListShowsADamagedRow(t *testing.T) {
	db := historyFixture(t)
	bdb, err := bbolt.Open(db, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	bdb.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("conversations"))
		v := bytes.Clone(b.Get([]byte("conv-en")))
		v[20] ^= 0x01
		return b.Put([]byte("conv-en"), v)
	})
	bdb.Close()
	out, errOut, code := runHistoryCLI(t, "", "--db", db, "history", "list")
	if code != 0 || !strings.Contains(out, "conv-ja") || !strings.Contains(out, "(damaged: its record fails its checksum)") {
		t.Fatalf("list = %d\n%s\n%s", code, out, errOut)
	}
	out, _, _ = runHistoryCLI(t, "", "--db", db, "history", "list", "--json")
	var page transcripts.Page
	if err := json.Unmarshal([]byte(out), &page); err != nil || len(page.Items) != 2 || page.Items[0].Damaged == "" {
		t.Fatalf("list --json = %v %s", err, out)
	}
}

// unsealedFixture is historyFixture as a version 2 store wrote it: every
// record plain JSON, without its checksum.
func unsealedFixture(t *testing.T) string {
	t.Helper()
	db := historyFixture(t)
	bdb, err := bbolt.Open(db, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bbolt.Tx) error {
		for _, name := range []string{"conversations", "entries"} {
			b := tx.Bucket([]byte(name))
			var keys, vals [][]byte
			b.ForEach(func(k, v []byte) error {
				if len(v) > 5 && v[0] == 0xC1 {
					keys, vals = append(keys, bytes.Clone(k)), append(vals, bytes.Clone(v[5:]))
				}
				return nil
			})
			for i := range keys {
				if err := b.Put(keys[i], vals[i]); err != nil {
					return err
				}
			}
		}
		v := make([]byte, 8)
		v[7] = 2
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), v)
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// history check and export --skip-damaged read side by side like the other
// reading commands: whatever the store (damaged, or too old for checksums),
// they change nothing in the store's folder. The one file an export with
// --out may add there is NAME.exports, the list of its temporary file that
// lets the next writer remove it if the export is killed.
func TestHistoryCheckAndSkipDamagedNeverWrite(t *testing.T) {
	fixtures := map[string]func(*testing.T) string{"damaged": damagedFixture, "version 2": unsealedFixture}
	for name, fixture := range fixtures {
		t.Run(name, func(t *testing.T) {
			db := fixture(t)
			snapshot := func() map[string]string {
				entries, _ := os.ReadDir(filepath.Dir(db))
				out := map[string]string{}
				for _, e := range entries {
					b, _ := os.ReadFile(filepath.Join(filepath.Dir(db), e.Name()))
					out[e.Name()] = string(b)
				}
				return out
			}
			before := snapshot()
			outFile := filepath.Join(t.TempDir(), "backup.md")
			for _, args := range [][]string{
				{"history", "check"},
				{"history", "check", "--json"},
				{"history", "export", "--format", "jsonl", "--skip-damaged"},
				{"history", "export", "--format", "md", "--skip-damaged", "--out", outFile},
			} {
				stdout, stderr, code := runHistoryCLI(t, "", append([]string{"--db", db}, args...)...)
				if code != 0 && !(name == "damaged" && args[1] == "check") {
					t.Errorf("%v: exit %d\n%s\n%s", args, code, stdout, stderr)
				}
				if name == "version 2" && args[1] == "check" && len(args) == 2 &&
					!strings.Contains(stdout, "written before checksums") {
					t.Errorf("check of a version 2 store: %s", stdout)
				}
				after := snapshot()
				for file, data := range after {
					if before[file] != data && !(len(args) > 4 && file == filepath.Base(db)+".exports") {
						t.Errorf("%v changed %s beside the store", args, file)
					}
				}
				for file := range before {
					if _, ok := after[file]; !ok {
						t.Errorf("%v removed %s beside the store", args, file)
					}
				}
			}
			if _, err := os.Stat(outFile); err != nil {
				t.Errorf("the export: %v", err)
			}
		})
	}
}
