package transcripts

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// The text of the conversation the delete tests delete: none of it may stay
// in the raw file.
var purgeSecrets = []string{"Xylophone", "Zebediah", "秘密の住所", "purge-secret"}

// purgeStore writes a store with n ordinary conversations and one secret
// one, and returns its path.
func purgeStore(t *testing.T, dir string, n int) string {
	t.Helper()
	path := makeStore(t, dir, n)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	secret := Conversation{ID: "purge-secret", StartedAt: at, Lang: "en", Customer: Customer{Name: "Zebediah Quintrell"},
		Entries: []Entry{{At: at.Add(time.Second), Role: RoleCustomer, Text: "my address is 42 Xylophone Lane, 秘密の住所です"}}}
	if _, err := s.CreateConversation(secret); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if _, err := s.AppendMessage("purge-secret", RoleCustomer, "Zebediah", strings.Repeat("Xylophone ", 300+i)); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// assertPurged checks the raw file and the folder after a delete finished.
func assertPurged(t *testing.T, path string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range purgeSecrets {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the raw file still holds %q", secret)
		}
	}
	if bytes.Contains(raw, keyPurgePending) {
		t.Error("the purge marker is still in the file")
	}
	for _, pattern := range []string{".compact-*", ".new-*"} {
		if stale, _ := filepath.Glob(path + pattern); len(stale) > 0 {
			t.Errorf("stale copies left: %v", stale)
		}
	}
}

// helperDeleteKill deletes purge-secret and kills itself with SIGKILL at
// the TSUNAGU_HELPER_KILL_AT-th point of the delete (testHook), or, with
// TSUNAGU_HELPER_KILL_AT=-1, prints how many points there are.
func helperDeleteKill(path string) int {
	killAt, _ := strconv.Atoi(os.Getenv("TSUNAGU_HELPER_KILL_AT"))
	compactBatch = 1 << 10 // many copy transactions, so many places to die
	points := 0
	testHook = func(stage string) {
		if points == killAt {
			fmt.Printf("killing at %d (%s)\n", points, stage)
			os.Stdout.Sync()
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
		points++
	}
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	if err := s.Delete("purge-secret"); err != nil {
		fmt.Println("error", err)
		return 1
	}
	s.Close()
	fmt.Printf("points %d\n", points)
	return 0
}

// Delete is crash-safe: killed with SIGKILL at 20 seeded points during a
// delete, the next open finishes it, so the text is nowhere in the raw file
// and no stale copy is left; every other conversation is intact.
func TestDeleteKilledAnywhereFinishesAtNextOpen(t *testing.T) {
	template := purgeStore(t, t.TempDir(), 12)
	templateBytes, err := os.ReadFile(template)
	if err != nil {
		t.Fatal(err)
	}
	// How many kill points does one delete pass?
	dry := filepath.Join(t.TempDir(), "dry.db")
	os.WriteFile(dry, templateBytes, 0o600)
	cmd := helperCommand(t, "delete-kill", dry)
	cmd.Env = append(cmd.Env, "TSUNAGU_HELPER_KILL_AT=-1")
	out, err := runWithDeadline(cmd, 5*time.Minute)
	var total int
	if _, serr := fmt.Sscanf(lastLines(out, 1), "points %d", &total); err != nil || serr != nil || total < 5 {
		t.Fatalf("dry run: %v %q", err, out)
	}
	if total < 20 {
		t.Fatalf("only %d kill points", total)
	}
	// Always: marked, the first copy, copied, renamed; then distinct seeded ones.
	points := []int{0, 1, total - 2, total - 1}
	for _, p := range rand.New(rand.NewPCG(3, 14)).Perm(total) {
		if len(points) < 20 && !slices.Contains(points, p) {
			points = append(points, p)
		}
	}
	slices.Sort(points)
	t.Logf("%d kill points in a delete; killing at %v", total, points)

	for _, at := range points {
		path := filepath.Join(t.TempDir(), "kill.db")
		os.WriteFile(path, templateBytes, 0o600)
		cmd := helperCommand(t, "delete-kill", path)
		cmd.Env = append(cmd.Env, fmt.Sprintf("TSUNAGU_HELPER_KILL_AT=%d", at))
		out, err := runWithDeadline(cmd, 5*time.Minute)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || !strings.Contains(out, "killing at") {
			t.Fatalf("point %d: the helper was not killed: %v\n%s", at, err, out)
		}
		// The next open (a writer) finishes the delete.
		s, err := Open(path, Options{Verify: true})
		if err != nil {
			t.Fatalf("point %d (%s): reopen: %v", at, strings.TrimSpace(out), err)
		}
		if _, err := s.Load("purge-secret"); !errors.Is(err, ErrNotFound) {
			t.Errorf("point %d: the deleted conversation: %v", at, err)
		}
		if n, _ := s.Count(); n != 12 {
			t.Errorf("point %d: %d conversations left, want 12", at, n)
		}
		if rep, err := s.Check(); err != nil || !rep.OK() || rep.Conversations != 12 {
			t.Errorf("point %d: check after the delete: %+v, %v", at, rep, err)
		}
		s.Close()
		assertPurged(t, path)
	}
}

// A delete that finished leaves nothing behind either, and a damaged
// conversation can be deleted (its index keys are found by scanning).
func TestDeleteDamagedConversation(t *testing.T) {
	path := purgeStore(t, t.TempDir(), 3)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Damage the secret's first entry in place.
	s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketEntries)
		k, v := b.Cursor().Seek(entryPrefix("purge-secret"))
		v = bytes.Clone(v)
		v[len(v)-3] ^= 0x04
		return b.Put(bytes.Clone(k), v)
	})
	if _, err := s.Load("purge-secret"); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Load of the damaged conversation: %v", err)
	}
	if err := s.Delete("purge-secret"); err != nil {
		t.Fatal(err)
	}
	if res, _ := s.Search("xylophone", Filter{}, 10); res.Total != 0 {
		t.Errorf("search still finds the deleted conversation: %+v", res)
	}
	if rep, err := s.Check(); err != nil || !rep.OK() {
		t.Errorf("check after deleting a damaged conversation: %+v, %v", rep, err)
	}
	s.Close()
	assertPurged(t, path)
}

// helperDeleteDiskFull deletes purge-secret with the file size capped
// (RLIMIT_FSIZE, which fails writes past it as a full disk does) at the
// store's pages in use (TSUNAGU_HELPER_CAP=used), so that the delete's own
// transaction fails, or 32 pages above (TSUNAGU_HELPER_CAP=roomy), enough
// for the delete but not for the purge's copy, which bbolt grows to the
// next power of two.
func helperDeleteDiskFull(path string) int {
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	defer s.Close()
	used, err := usedBytes(path)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	if os.Getenv("TSUNAGU_HELPER_CAP") == "roomy" {
		used += 32 * int64(os.Getpagesize())
	}
	var lim unix.Rlimit
	unix.Getrlimit(unix.RLIMIT_FSIZE, &lim)
	if err := unix.Setrlimit(unix.RLIMIT_FSIZE, &unix.Rlimit{Cur: uint64(used), Max: lim.Max}); err != nil {
		fmt.Println("error setrlimit", err)
		return 1
	}
	err = s.Delete("purge-secret")
	var failed *DeleteFailedError
	var pending *PurgePendingError
	fmt.Printf("disk-full=%v failed=%v pending=%v\nmsg=%v\n", errors.Is(err, ErrDiskFull), errors.As(err, &failed), errors.As(err, &pending), err)
	return 0
}

// A full disk during a delete says what really happened: either nothing
// was deleted, or the conversation is gone but its text waits in the file
// for a purge, which the next open with space finishes.
func TestDeleteOnAFullDisk(t *testing.T) {
	tests := []struct {
		cap      string
		want     string
		deleted  bool
		wantFlag string
	}{
		{"used", "nothing was deleted", false, "failed=true"},
		{"roomy", "was deleted and no longer shows anywhere, but the disk is too full", true, "pending=true"},
	}
	for _, tt := range tests {
		t.Run(tt.cap, func(t *testing.T) {
			path := purgeStore(t, t.TempDir(), 12)
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			// Grow the store until, compacted (no free pages, so any
			// write grows the file), its pages in use lie between 5/4 and
			// 3/2 of 256 KiB: the copy then needs a 512 KiB file.
			for i := 0; ; i++ {
				if err := s.Compact(); err != nil {
					t.Fatal(err)
				}
				used, err := usedBytes(path)
				if err != nil {
					t.Fatal(err)
				}
				if used >= 320<<10 {
					if used > 380<<10 {
						t.Fatalf("store grew to %d bytes, past the window", used)
					}
					break
				}
				for j := range max(1, int(300<<10-used)/(12<<10)) { // about 3 KiB each
					c := sampleConversation(fmt.Sprintf("grow-%03d-%02d", i, j))
					if _, err := s.CreateConversation(c); err != nil {
						t.Fatal(err)
					}
				}
			}
			s.Close()
			cmd := helperCommand(t, "delete-disk-full", path)
			cmd.Env = append(cmd.Env, "TSUNAGU_HELPER_CAP="+tt.cap)
			out, err := runWithDeadline(cmd, 5*time.Minute)
			if err != nil {
				t.Fatalf("helper: %v\n%s", err, out)
			}
			if !strings.Contains(out, "disk-full=true") || !strings.Contains(out, tt.wantFlag) || !strings.Contains(out, tt.want) ||
				strings.Contains(out, "nothing was lost") {
				t.Fatalf("helper said:\n%s", out)
			}
			t.Logf("%s", strings.TrimSpace(out))
			s, err = Open(path, Options{Verify: true})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Load("purge-secret")
			s.Close()
			if tt.deleted != errors.Is(err, ErrNotFound) {
				t.Fatalf("after the next open, Load = %v (deleted: %v)", err, tt.deleted)
			}
			if tt.deleted {
				assertPurged(t, path)
			}
		})
	}
}

// helperExportKill exports the store to TSUNAGU_HELPER_OUT and kills itself
// once the temporary file is written, before the rename.
func helperExportKill(path string) int {
	testHook = func(stage string) {
		if stage == "export-written" {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	}
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	err = s.ExportFile(os.Getenv("TSUNAGU_HELPER_OUT"), FormatJSONLines)
	fmt.Println("error not killed", err)
	return 1
}

// An export killed before its rename leaves .NAME.tmp-PID-*; the next open
// of the store for writing removes it (and the next export to the same
// folder would too), while a read-only open leaves it. A temporary file of a
// live process is left alone.
func TestExportTempFilesAreRemovedAtNextOpen(t *testing.T) {
	path := makeStore(t, t.TempDir(), 5)
	outDir := t.TempDir()
	out := filepath.Join(outDir, "backup.jsonl")
	live := filepath.Join(outDir, fmt.Sprintf(".backup.jsonl.tmp-%d-123", os.Getpid()))
	os.WriteFile(live, []byte("in progress"), 0o600)
	cmd := helperCommand(t, "export-kill", path)
	cmd.Env = append(cmd.Env, "TSUNAGU_HELPER_OUT="+out)
	if text, err := runWithDeadline(cmd, 5*time.Minute); err == nil || strings.Contains(text, "error") {
		t.Fatalf("helper: %v\n%s", err, text)
	}
	left, _ := filepath.Glob(filepath.Join(outDir, ".backup.jsonl.tmp-*"))
	if len(left) != 2 {
		t.Fatalf("after the kill: %v, want the killed export's temporary file and ours", left)
	}
	// A read-only open changes nothing on disk (readonly.go): the leftover
	// waits for the next writer.
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if after, _ := filepath.Glob(filepath.Join(outDir, ".backup.jsonl.tmp-*")); len(after) != 2 {
		t.Fatalf("after a read-only open: %v, want both temporary files left", after)
	}
	if _, err := os.Stat(exportsListPath(path)); err != nil {
		t.Fatalf("a read-only open removed the list of exports: %v", err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	left, _ = filepath.Glob(filepath.Join(outDir, ".backup.jsonl.tmp-*"))
	if len(left) != 1 || left[0] != live {
		t.Fatalf("after a writer's open: %v, want only %s", left, live)
	}
	if _, err := os.Stat(exportsListPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a writer's open left the list of exports: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the killed export left %s", out)
	}
}

// Copies left by an interrupted purge or create are removed when a writer
// opens the store; a copy named for a live process other than a purge's is
// left alone.
func TestStaleCopiesAreRemovedAtNextOpen(t *testing.T) {
	path := makeStore(t, t.TempDir(), 2)
	dead := deadPID(t)
	stale := []string{path + ".compact-" + strconv.Itoa(dead), path + ".compact-1", path + ".new-" + strconv.Itoa(dead)}
	liveNew := path + ".new-1" // pid 1 is alive
	for _, p := range append(slices.Clone(stale), liveNew) {
		os.WriteFile(p, []byte("old copy holding deleted text"), 0o600)
	}
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(stale[0]); err != nil {
		t.Fatal("a read-only open removed a copy; only a writer may")
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, p := range stale {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there", p)
		}
	}
	if _, err := os.Stat(liveNew); err != nil {
		t.Errorf("%s of a live process was removed", liveNew)
	}
}

func deadPID(t *testing.T) int {
	t.Helper()
	for pid := 4 << 20; pid > 1000; pid -= 7919 {
		if !processAlive(pid) {
			return pid
		}
	}
	t.Skip("no dead pid found")
	return 0
}
