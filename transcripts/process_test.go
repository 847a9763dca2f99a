package transcripts

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// The tests in this file re-run the test binary as a helper process
// (TSUNAGU_HELPER=mode), because locks, kill -9 and file size limits are
// about processes.

func TestMain(m *testing.M) {
	if mode := os.Getenv("TSUNAGU_HELPER"); mode != "" {
		os.Exit(runHelper(mode, os.Getenv("TSUNAGU_HELPER_DB")))
	}
	os.Exit(m.Run())
}

func runHelper(mode, path string) int {
	switch mode {
	case "open":
		start := time.Now()
		s, err := Open(path, Options{Timeout: time.Second})
		if err != nil {
			fmt.Printf("in-use=%v elapsed=%s err=%s\n", errors.Is(err, ErrInUse), time.Since(start).Round(time.Millisecond), err)
			return 0
		}
		s.Close()
		fmt.Println("opened")
		return 0
	case "hold":
		s, err := Open(path, Options{})
		if err != nil {
			fmt.Println("error", err)
			return 1
		}
		fmt.Println("holding")
		io.Copy(io.Discard, os.Stdin) // until the parent closes stdin
		s.Close()
		return 0
	case "append-forever":
		return helperAppendForever(path)
	case "disk-full":
		return helperDiskFull(path)
	case "readonly":
		return helperReadOnly(path)
	case "rss":
		return helperPeakRSS(path)
	case "bitflip":
		return helperBitFlips(path)
	case "delete-kill":
		return helperDeleteKill(path)
	case "delete-disk-full":
		return helperDeleteDiskFull(path)
	case "export-kill":
		return helperExportKill(path)
	}
	fmt.Fprintln(os.Stderr, "unknown helper mode", mode)
	return 3
}

func helperCommand(t *testing.T, mode, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TSUNAGU_HELPER="+mode, "TSUNAGU_HELPER_DB="+path)
	return cmd
}

// C21: a second process gets a clear "in use" error naming the first, in
// about a second, and never hangs.
func TestSecondProcessGetsInUse(t *testing.T) {
	s, path := openTemp(t)
	out, err := runWithDeadline(helperCommand(t, "open", path), hangBound)
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	want := fmt.Sprintf("in use by another tsunagu (pid %d)", os.Getpid())
	if !strings.Contains(out, "in-use=true") || !strings.Contains(out, want) {
		t.Fatalf("second process said %q, want ErrInUse naming pid %d", out, os.Getpid())
	}
	t.Logf("second process: %s", strings.TrimSpace(out))

	// Once the first closes, the second gets in.
	s.Close()
	out, err = runWithDeadline(helperCommand(t, "open", path), hangBound)
	if err != nil || strings.TrimSpace(out) != "opened" {
		t.Fatalf("after close the helper said %q, %v", out, err)
	}
}

// C21 the other way round: this process is second, and read-only openers
// (history) are refused too while a writer holds the file.
func TestOpenWhileAnotherProcessHolds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	cmd := helperCommand(t, "hold", path)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "holding" {
		t.Fatalf("holder said %q", line)
	}
	for _, ro := range []bool{false, true} {
		start := time.Now()
		_, err := Open(path, Options{ReadOnly: ro, Timeout: 300 * time.Millisecond})
		var inUse *InUseError
		if !errors.As(err, &inUse) || inUse.PID != cmd.Process.Pid {
			t.Fatalf("Open(readOnly=%v) = %v, want InUseError with pid %d", ro, err, cmd.Process.Pid)
		}
		t.Logf("readOnly=%v refused after %s: %v", ro, time.Since(start).Round(time.Millisecond), err)
	}
}

// hangBound bounds a helper process's run. Nothing is expected to take
// this long, even under -race on a busy machine: it only turns a hang (the
// failure some of these tests look for) into a failure with the output.
const hangBound = 2 * time.Minute

func runWithDeadline(cmd *exec.Cmd, d time.Duration) (string, error) {
	var out strings.Builder
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		return out.String(), fmt.Errorf("helper still running after %s: it hangs", d)
	}
}

// --- C22: kill -9 ------------------------------------------------------------

// killText is the deterministic text of message n: sizes vary from a few
// bytes to several pages so that commits split pages and grow the file.
func killText(n int) string {
	size := []int{20, 300, 3000, 9000}[n%4]
	var b strings.Builder
	fmt.Fprintf(&b, "message %d: ", n)
	for b.Len() < size {
		b.WriteString("返品したい refund ")
	}
	return b.String()
}

func helperAppendForever(path string) int {
	s, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	n, _ := strconv.Atoi(os.Getenv("TSUNAGU_HELPER_START"))
	for ; ; n++ {
		if _, err := s.AppendEntry("kill", Entry{At: time.Unix(int64(n), 0).UTC(), Role: RoleCustomer, Text: killText(n)}); err != nil {
			fmt.Println("error", err)
			return 1
		}
		// Printed only after the commit returned: this is "shown as saved".
		fmt.Printf("saved %d\n", n)
	}
}

// C22: kill -9 at random moments. After each round the file reopens, bbolt's
// consistency check finds nothing, and every message acknowledged as saved is
// there whole. TSUNAGU_KILL_ROUNDS raises the round count (default 100).
func TestKillNineRounds(t *testing.T) {
	rounds := 100
	if v, err := strconv.Atoi(os.Getenv("TSUNAGU_KILL_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	if testing.Short() {
		rounds = 10
	}
	path := filepath.Join(t.TempDir(), "kill.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateConversation(Conversation{ID: "kill", Lang: "en", StartedAt: time.Unix(0, 0).UTC()}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	rng := rand.New(rand.NewPCG(22, 22))
	acked := 0 // messages 0..acked-1 were acknowledged
	for round := range rounds {
		cmd := helperCommand(t, "append-forever", path)
		cmd.Env = append(cmd.Env, fmt.Sprintf("TSUNAGU_HELPER_START=%d", acked))
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Wait for a first save, then kill at a random moment.
		first := <-lines
		time.Sleep(time.Duration(rng.IntN(8000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		all := []string{first}
		for l := range lines {
			all = append(all, l)
		}
		cmd.Wait()
		for _, l := range all {
			if strings.HasPrefix(l, "error") {
				t.Fatalf("round %d: helper failed: %s", round, l)
			}
			if n, err := strconv.Atoi(strings.TrimPrefix(l, "saved ")); err == nil && n+1 > acked {
				acked = n + 1
			}
		}

		s, err := Open(path, Options{Verify: true})
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		c, err := s.Load("kill")
		s.Close()
		if err != nil {
			t.Fatalf("round %d: load: %v", round, err)
		}
		if len(c.Entries) < acked {
			t.Fatalf("round %d: %d messages acknowledged but only %d stored", round, acked, len(c.Entries))
		}
		for i, e := range c.Entries {
			if e.Text != killText(i) {
				t.Fatalf("round %d: message %d is not whole: %.40q", round, i, e.Text)
			}
		}
		// A message committed but killed before its "saved" line counts too.
		acked = len(c.Entries)
	}
	t.Logf("%d rounds, %d messages", rounds, acked)
}

// --- C23: disk full --------------------------------------------------------

// helperDiskFull caps the process's file size (RLIMIT_FSIZE) just above the
// store's size, so growing the file fails with EFBIG as on a full disk, then
// checks the error, lifts the cap and retries the same message.
func helperDiskFull(path string) int {
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	info, _ := os.Stat(path)
	var lim unix.Rlimit
	unix.Getrlimit(unix.RLIMIT_FSIZE, &lim)
	capped := unix.Rlimit{Cur: uint64(info.Size()) + 64<<10, Max: lim.Max}
	if err := unix.Setrlimit(unix.RLIMIT_FSIZE, &capped); err != nil {
		fmt.Println("error setrlimit", err)
		return 1
	}
	for n := 0; n < 10000; n++ {
		e := Entry{At: time.Unix(int64(n), 0).UTC(), Role: RoleCustomer, Text: killText(3) + strconv.Itoa(n)}
		if _, err := s.AppendEntry("full", e); err != nil {
			var dfe *DiskFullError
			fmt.Printf("failed %d disk-full=%v typed=%v msg=%s\n", n, errors.Is(err, ErrDiskFull), errors.As(err, &dfe), err)
			// Space comes back; the message kept in memory is retried.
			unix.Setrlimit(unix.RLIMIT_FSIZE, &lim)
			if _, err := s.AppendEntry("full", e); err != nil {
				fmt.Println("error retry", err)
				return 1
			}
			if _, err := s.AppendEntry("full", e); err != nil { // a second retry must not duplicate
				fmt.Println("error retry", err)
				return 1
			}
			fmt.Printf("saved %d\n", n)
			s.Close()
			return 0
		}
		fmt.Printf("saved %d\n", n)
	}
	fmt.Println("error never filled up")
	return 1
}

func TestDiskFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "full.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateConversation(Conversation{ID: "full", Lang: "en", StartedAt: time.Unix(0, 0).UTC()}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	out, err := runWithDeadline(helperCommand(t, "disk-full", path), hangBound)
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	if !strings.Contains(out, "disk-full=true typed=true") || !strings.Contains(out, "the disk is full") {
		t.Fatalf("disk full was not reported as ErrDiskFull:\n%s", out)
	}
	saved := strings.Count(out, "saved ")
	s, err = Open(path, Options{Verify: true})
	if err != nil {
		t.Fatalf("file invalid after disk full: %v", err)
	}
	defer s.Close()
	c, err := s.Load("full")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Entries) != saved {
		t.Fatalf("%d messages acknowledged, %d stored (a retry duplicated or lost one)", saved, len(c.Entries))
	}
	for i, e := range c.Entries {
		if e.Text != killText(3)+strconv.Itoa(i) {
			t.Fatalf("message %d is not whole", i)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "failed") {
			t.Logf("helper: %s", l)
		}
	}
}

// --- C24: read-only file and folder ----------------------------------------

func helperReadOnly(path string) int {
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Println("error open", err)
		return 1
	}
	defer s.Close()
	fmt.Printf("reason=%v\n", s.ReadOnlyReason())
	page, err := s.List(Filter{}, "", 10)
	if err != nil {
		fmt.Println("error list", err)
		return 1
	}
	fmt.Printf("listed=%d\n", len(page.Items))
	if res, err := s.Search("返品", Filter{}, 10); err == nil {
		fmt.Printf("found=%d\n", res.Total)
	}
	_, err = s.AppendMessage(page.Items[0].ID, RoleCustomer, "", "hello")
	fmt.Printf("append-readonly=%v msg=%v\n", errors.Is(err, ErrReadOnly), err)
	return 0
}

// runAsOtherUser prepares cmd to run as nobody when we are root, since root
// ignores file permissions. The test binary is copied where nobody can run it.
func runAsOtherUser(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	dir, err := os.MkdirTemp("", "tsunagu-ro-bin-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "transcripts.test")
	data, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd.Path = bin
	cmd.Args[0] = bin
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
}

func TestReadOnlyFileAndFolder(t *testing.T) {
	tests := []struct {
		name            string
		dirMode, dbMode os.FileMode
		wantReason      string
	}{
		{"file not writable", 0o700, 0o400, "the file is not writable"},
		{"folder not writable", 0o500, 0o600, "its folder is not writable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := os.MkdirTemp("", "tsunagu-ro-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(filepath.Join(root, "d"), 0o700); os.RemoveAll(root) })
			os.Chmod(root, 0o755)
			dir := filepath.Join(root, "d")
			path := filepath.Join(dir, "tsunagu.db")
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateConversation(sampleConversation("ro-1")); err != nil {
				t.Fatal(err)
			}
			s.Close()
			cmd := helperCommand(t, "readonly", path)
			runAsOtherUser(t, cmd)
			if os.Geteuid() == 0 {
				os.Chown(dir, 65534, 65534)
				os.Chown(path, 65534, 65534)
			}
			os.Chmod(path, tt.dbMode)
			os.Chmod(dir, tt.dirMode)
			out, err := runWithDeadline(cmd, hangBound)
			if err != nil {
				t.Fatalf("helper: %v\n%s", err, out)
			}
			for _, want := range []string{"reason=cannot save to " + path + ": " + tt.wantReason, "listed=1", "found=1", "append-readonly=true"} {
				if !strings.Contains(out, want) {
					t.Fatalf("helper output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// helperPeakRSS opens a store read-only, lists the first page and runs a few
// searches, then prints its own peak RSS in KiB (BenchmarkPeakRSSListSearchBig).
func helperPeakRSS(path string) int {
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	defer s.Close()
	if _, err := s.List(Filter{}, "", DefaultPageSize); err != nil {
		fmt.Println("error", err)
		return 1
	}
	for _, q := range []string{"返品", "refund", "二重請求", "Tanaka", "waterproof warranty"} {
		if _, err := s.Search(q, Filter{}, DefaultPageSize); err != nil {
			fmt.Println("error", err)
			return 1
		}
	}
	// VmHWM is this process image's peak RSS. getrusage's ru_maxrss would
	// carry over the (big) benchmark parent's peak across exec.
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	hwm := -1
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm, _ = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
		}
	}
	if hwm < 0 {
		fmt.Println("error no VmHWM in /proc/self/status")
		return 1
	}
	fmt.Printf("maxrss-kb %d\n", hwm)
	return 0
}

// A pid file left behind by a killed writer never names a process that is
// gone: here a reader holds the store and the stale pid is not believed.
func TestStalePIDFileIsNotBelieved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stale.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no 'true' command to get a dead pid from")
	}
	os.WriteFile(path+".pid", []byte(strconv.Itoa(dead.Process.Pid)+"\n"), 0o600)
	// A reader in the middle of a read holds the shared lock.
	reader, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	_, err = Open(path, Options{Timeout: 100 * time.Millisecond})
	var inUse *InUseError
	if !errors.As(err, &inUse) || inUse.PID != 0 || strings.Contains(err.Error(), "pid") {
		t.Fatalf("Open = %v, want InUseError without a pid", err)
	}
}
