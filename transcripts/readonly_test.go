package transcripts

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

const readerHelperDB = "TSUNAGU_READER_HELPER_DB"

var errStopReading = errors.New("stop")

// TestReaderHelperProcess is not a test on its own: TestReadersShareTheFile
// runs it in a child process, where it reads the store and then stays in the
// middle of a read (holding the shared lock) until its stdin is closed.
func TestReaderHelperProcess(t *testing.T) {
	path := os.Getenv(readerHelperDB)
	if path == "" {
		t.Skip("run by TestReadersShareTheFile")
	}
	s, err := OpenReadOnly(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Println("error", err)
		return
	}
	defer s.Close()
	page, err := s.List(Filter{}, "", 100)
	if err != nil || len(page.Items) == 0 {
		fmt.Println("error list", err)
		return
	}
	c, err := s.Load(page.Items[0].ID)
	if err != nil {
		fmt.Println("error load", err)
		return
	}
	fmt.Printf("listed=%d loaded=%s\n", len(page.Items), c.ID)
	err = s.ForEach(func(Conversation) error {
		fmt.Println("reading")
		io.Copy(io.Discard, os.Stdin)
		return errStopReading
	})
	fmt.Println("done", errors.Is(err, errStopReading))
}

// Issue 15: readers never lock each other out. While one reader is in the
// middle of a read (in another process, or in this one), other readers open,
// list and load; a writer waits for the read in flight only. Idle readers
// hold nothing, so a chat opens for writing with readers open, and the
// readers then say clearly that a running chat (with its pid) has the file,
// and see its writes once it is gone. bbolt's flock locks belong to open
// file descriptions, so two opens in one process behave like two processes.
func TestReadersShareTheFile(t *testing.T) {
	tests := []struct {
		name string
		// hold starts a read that stays in flight until release is called.
		hold func(t *testing.T, path string) (release func())
	}{
		{"a reader in another process", func(t *testing.T, path string) func() {
			cmd := exec.Command(os.Args[0], "-test.run=^TestReaderHelperProcess$")
			cmd.Env = append(os.Environ(), readerHelperDB+"="+path)
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewReader(stdout)
			first, _ := lines.ReadString('\n')
			second, _ := lines.ReadString('\n')
			if first != "listed=5 loaded=conv-004\n" || second != "reading\n" {
				stdin.Close()
				cmd.Wait()
				t.Fatalf("the reader in another process said %q, %q", first, second)
			}
			return func() {
				stdin.Close()
				rest, _ := io.ReadAll(lines)
				cmd.Wait()
				if !strings.Contains(string(rest), "done true") {
					t.Errorf("the other reader ended with %q", rest)
				}
			}
		}},
		{"a reader in this process", func(t *testing.T, path string) func() {
			s, err := OpenReadOnly(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			reading, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
			go func() {
				done <- s.ForEach(func(Conversation) error {
					close(reading)
					<-release
					return errStopReading
				})
			}()
			<-reading
			return func() {
				close(release)
				if err := <-done; !errors.Is(err, errStopReading) {
					t.Errorf("the read in flight ended with %v", err)
				}
				s.Close()
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := makeStore(t, t.TempDir(), 5)
			// Opens that must fail give up after 100ms; those that must
			// succeed may wait long, in case the machine is slow to close a file.
			short, long := Options{Timeout: 100 * time.Millisecond}, Options{Timeout: 10 * time.Second}
			browser, err := OpenReadOnly(path, long)
			if err != nil {
				t.Fatal(err)
			}
			defer browser.Close()
			impatient, err := OpenReadOnly(path, short)
			if err != nil {
				t.Fatal(err)
			}
			defer impatient.Close()

			release := tt.hold(t, path)
			// With a read in flight: a second reader, list and show.
			other, err := OpenReadOnly(path, long)
			if err != nil {
				t.Fatalf("second reader: %v", err)
			}
			if page, err := other.List(Filter{}, "", 10); err != nil || len(page.Items) != 5 {
				t.Fatalf("second reader lists %d, %v", len(page.Items), err)
			}
			if _, err := browser.Load("conv-002"); err != nil {
				t.Fatalf("first reader loads: %v", err)
			}
			other.Close()
			// A writer waits for the read in flight.
			if _, err := Open(path, short); !errors.Is(err, ErrInUse) {
				t.Fatalf("writer during a read: %v, want ErrInUse", err)
			}
			release()

			// Readers open but idle: a chat opens for writing.
			chat, err := Open(path, Options{Timeout: long.Timeout, Holder: HolderChat})
			if err != nil {
				t.Fatalf("chat with readers open: %v", err)
			}
			_, err = impatient.List(Filter{}, "", 10)
			var inUse *InUseError
			want := fmt.Sprintf("in use by a running chat (pid %d)", os.Getpid())
			if !errors.As(err, &inUse) || !inUse.Reading || inUse.PID != os.Getpid() || !strings.Contains(err.Error(), want) {
				chat.Close()
				t.Fatalf("reader while a chat writes: %v, want %q", err, want)
			}
			if _, err := OpenReadOnly(path, short); !errors.As(err, &inUse) || !strings.Contains(err.Error(), want) {
				chat.Close()
				t.Fatalf("new reader while a chat writes: %v", err)
			}
			if _, err := chat.CreateConversation(sampleConversation("conv-new")); err != nil {
				t.Fatal(err)
			}
			chat.Close()
			if n, err := browser.Count(); err != nil || n != 6 {
				t.Fatalf("after the chat the reader counts %d, %v; want its new conversation too", n, err)
			}
		})
	}
}

// A read-only open never creates, migrates, repairs, renames or writes
// anything (issue 14 item 8, issue 15): damage is reported with the file
// left as it was, and an old store asks for one write open.
func TestReadOnlyOpenNeverChangesTheFile(t *testing.T) {
	pageSize := os.Getpagesize()
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string) string
		want    error // from OpenReadOnly or from the first reads
	}{
		{"missing", func(t *testing.T, dir string) string { return filepath.Join(dir, "none", "tsunagu.db") }, fs.ErrNotExist},
		{"empty file", func(t *testing.T, dir string) string {
			path := makeStore(t, dir, 3)
			os.Truncate(path, 0)
			return path
		}, ErrCorrupt},
		{"truncated", func(t *testing.T, dir string) string {
			path := makeStore(t, dir, 30)
			info, _ := os.Stat(path)
			os.Truncate(path, info.Size()/2)
			return path
		}, ErrCorrupt},
		{"both header pages zeroed", func(t *testing.T, dir string) string {
			path := makeStore(t, dir, 3)
			overwrite(t, path, 0, make([]byte, 2*pageSize))
			return path
		}, ErrCorrupt},
		{"not a bolt file", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "notes.txt")
			os.WriteFile(path, []byte("# my shopping list\neggs\nmilk\n"), 0o600)
			return path
		}, ErrCorrupt},
		{"foreign bbolt file", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "other.db")
			db, _ := bbolt.Open(path, 0o600, nil)
			db.Update(func(tx *bbolt.Tx) error {
				b, _ := tx.CreateBucket([]byte("someone-else"))
				return b.Put([]byte("k"), []byte("v"))
			})
			db.Close()
			return path
		}, ErrCorrupt},
		{"garbage pages", func(t *testing.T, dir string) string {
			path := makeStore(t, dir, 30)
			info, _ := os.Stat(path)
			garbage := make([]byte, info.Size()-int64(2*pageSize))
			rng := rand.New(rand.NewPCG(15, 15))
			for i := range garbage {
				garbage[i] = byte(rng.UintN(256))
			}
			overwrite(t, path, int64(2*pageSize), garbage)
			return path
		}, ErrCorrupt},
		{"version 1", func(t *testing.T, dir string) string {
			return writeVersion1(t, `{"id":"old-1","started_at":"2025-01-02T03:04:05Z","lang":"ja","status":"closed","entries":1}`)
		}, ErrNeedsUpgrade},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.prepare(t, t.TempDir())
			before, _ := os.ReadFile(path)
			names := func() []string {
				entries, _ := os.ReadDir(filepath.Dir(path))
				var out []string
				for _, e := range entries {
					out = append(out, e.Name())
				}
				return out
			}
			dirBefore := names()

			s, err := OpenReadOnly(path, Options{Timeout: 100 * time.Millisecond})
			if err == nil {
				// Damage beyond the header pages shows when it is read.
				for _, read := range []func() error{
					func() error { _, err := s.List(Filter{}, "", 100); return err },
					func() error { _, err := s.Search("返品", Filter{}, 100); return err },
					func() error { return s.ForEach(func(Conversation) error { return nil }) },
				} {
					if err = read(); err != nil {
						break
					}
				}
				s.Close()
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			var ce *CorruptError
			if errors.As(err, &ce) && (!ce.Kept || ce.MovedTo != "" || !strings.Contains(err.Error(), "left it as it is")) {
				t.Fatalf("corrupt error %+v (%q) does not say the file was kept", ce, err)
			}
			if strings.Contains(err.Error(), "goroutine") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one sentence: %q", err)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Fatal("the read-only open changed the file")
			}
			if dirAfter := names(); strings.Join(dirAfter, "|") != strings.Join(dirBefore, "|") {
				t.Fatalf("the folder changed from %v to %v", dirBefore, dirAfter)
			}
		})
	}
}

// A store from a newer tsunagu is read, never written.
func TestReadOnlyOpenReadsANewerStore(t *testing.T) {
	path := makeStore(t, t.TempDir(), 2)
	db, _ := bbolt.Open(path, 0o600, nil)
	db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(SchemaVersion+1)) })
	db.Close()
	s, err := OpenReadOnly(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.Count(); n != 2 || err != nil {
		t.Fatalf("count %d, %v", n, err)
	}
	if !errors.Is(s.ReadOnlyReason(), ErrReadOnly) || !strings.Contains(s.ReadOnlyReason().Error(), "storage version") {
		t.Fatalf("reason %v", s.ReadOnlyReason())
	}
	if err := s.WriteRefusal(); !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "storage version") {
		t.Fatalf("WriteRefusal = %v", err)
	}
	if err := s.WithWriter("a test", func(*Store) error { return nil }); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("writer on a newer store: %v", err)
	}
}

// Issue 14 item 8: bbolt keeps two header (meta) pages and opens from the
// other when one is damaged, so one damaged page does not move the store
// aside: readers read it as it is, and a writer's first commit rewrites the
// damaged page, after which bbolt's full check passes again.
func TestOneDamagedHeaderPageIsKept(t *testing.T) {
	ps := os.Getpagesize()
	tests := []struct {
		name string
		page int64
	}{
		{"first header page", 0},
		{"second header page", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := makeStore(t, t.TempDir(), 30)
			overwrite(t, path, tt.page*int64(ps), bytes.Repeat([]byte{0xa5}, ps))
			damaged, _ := os.ReadFile(path)

			r, err := OpenReadOnly(path, Options{Verify: true})
			if err != nil {
				t.Fatalf("read-only open: %v", err)
			}
			// bbolt reads the newest valid header: the damaged one may have
			// held the very last commit.
			read, err := r.Count()
			if err != nil || read < 29 {
				t.Fatalf("reader counts %d, %v", read, err)
			}
			r.Close()
			if now, _ := os.ReadFile(path); !bytes.Equal(now, damaged) {
				t.Fatal("the reader changed the file")
			}

			w, err := Open(path, Options{Verify: true})
			if err != nil {
				t.Fatalf("write open: %v", err)
			}
			if n, err := w.Count(); err != nil || n != read {
				t.Fatalf("writer counts %d, %v; the reader counted %d", n, err, read)
			}
			w.Close()
			if matches, _ := filepath.Glob(path + ".corrupt-*"); len(matches) > 0 {
				t.Fatalf("moved aside: %v", matches)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			reason, oneBad := precheckLocked(f)
			f.Close()
			if reason != "" || oneBad {
				t.Fatalf("after the writer: %q, one header page bad %v", reason, oneBad)
			}
			w, err = Open(path, Options{Verify: true})
			if err != nil {
				t.Fatalf("full check after the repair: %v", err)
			}
			w.Close()
		})
	}
}

// The browser's delete and resume: a reader takes the write lock only for
// the write, and is told who has it when it cannot.
func TestWithWriterTakesTheLockBriefly(t *testing.T) {
	path := makeStore(t, t.TempDir(), 3)
	// r waits long when nothing should hold the file, impatient when a chat does.
	r, err := OpenReadOnly(path, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	impatient, err := OpenReadOnly(path, Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer impatient.Close()
	other, err := OpenReadOnly(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := r.WriteRefusal(); err != nil || !errors.Is(r.ReadOnlyReason(), ErrReadOnly) {
		t.Fatalf("a reader of a writable store: WriteRefusal %v, ReadOnlyReason %v", err, r.ReadOnlyReason())
	}

	tests := []struct {
		name    string
		chat    bool // a chat holds the file meanwhile
		id      string
		wantErr string
		left    int
	}{
		{"delete while another reader is open", false, "conv-001", "", 2},
		{"delete while a chat runs", true, "conv-002", fmt.Sprintf("in use by a running chat (pid %d)", os.Getpid()), 2},
		{"a missing conversation", false, "conv-404", "no such conversation", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.chat {
				chat, err := Open(path, Options{Holder: HolderChat})
				if err != nil {
					t.Fatal(err)
				}
				defer chat.Close()
			}
			reader := r
			if tt.chat {
				reader = impatient
			}
			err := reader.WithWriter("a history delete", func(w *Store) error { return w.Delete(tt.id) })
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("WithWriter = %v, want %q", err, tt.wantErr)
			}
			if tt.chat {
				return
			}
			if n, err := other.Count(); err != nil || n != tt.left {
				t.Fatalf("the other reader counts %d, %v; want %d", n, err, tt.left)
			}
		})
	}

	// OpenWriter hands over a writer (a resumed chat) and the reader stays.
	w, err := r.OpenWriter(HolderChat)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AppendMessage("conv-000", RoleCustomer, "", "any news?"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	c, err := r.Load("conv-000")
	if err != nil || c.Entries[len(c.Entries)-1].Text != "any news?" {
		t.Fatalf("reader after the writer: %v", err)
	}
}
