package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tsunagu/transcripts"
	"tsunagu/tui/serve/servetest"
)

// loadRequested reports that the load test was asked for by name
// (go test -run Load): it takes minutes, so the normal test command skips it.
func loadRequested() bool {
	f := flag.Lookup("test.run")
	return f != nil && strings.Contains(f.Value.String(), "Load")
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestLoadServe drives many customer sessions at once against a real
// `tsunagu serve` process over loopback SSH, half of them asking for a
// person, and checks that every message each customer sent is stored.
// It prints the keystroke-to-frame times and the server's memory.
//
//	go test ./cmd/tsunagu -run Load -v -timeout 20m
//	TSUNAGU_LOAD_SESSIONS=200 TSUNAGU_LOAD_SECONDS=60 (the defaults)
func TestLoadServe(t *testing.T) {
	if !loadRequested() {
		t.Skip("the load test runs only when asked for: go test ./cmd/tsunagu -run Load -v")
	}
	sessions := envInt("TSUNAGU_LOAD_SESSIONS", 200)
	seconds := envInt("TSUNAGU_LOAD_SECONDS", 60)
	dir := t.TempDir()
	bin := filepath.Join(dir, "tsunagu")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("building the server: %v", err)
	}
	db := filepath.Join(dir, "data", "t.db")
	srv := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--lang", "en",
		"--messages-per-minute", "0", "--idle", "30m")
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	srv.Stderr = logFile
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			_ = srv.Process.Kill()
			_ = srv.Wait()
		}
	}()
	addr := ""
	sc := bufio.NewScanner(stdout)
	listening := regexp.MustCompile(`listening on (\S+)`)
	for sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		t.Fatal("the server never said where it listens")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	idleRSS := rssKiB(srv.Process.Pid, "VmRSS")

	var (
		mu       sync.Mutex
		echoes   []time.Duration
		sent     = map[string]bool{} // every message a customer sent
		failures []string
	)
	started := time.Now()
	deadline := started.Add(time.Duration(seconds) * time.Second)
	var wg sync.WaitGroup
	var peakRSS int
	rssDone := make(chan struct{})
	go func() {
		for {
			select {
			case <-rssDone:
				return
			case <-time.After(time.Second):
			}
			if rss := rssKiB(srv.Process.Pid, "VmRSS"); rss > peakRSS {
				mu.Lock()
				peakRSS = rss
				mu.Unlock()
			}
		}
	}()
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := loadCustomer(t, addr, i, i%2 == 0, deadline, func(d time.Duration) {
				mu.Lock()
				echoes = append(echoes, d)
				mu.Unlock()
			}, func(text string) {
				mu.Lock()
				sent[text] = true
				mu.Unlock()
			})
			if err != nil {
				mu.Lock()
				failures = append(failures, fmt.Sprintf("session %d: %v", i, err))
				mu.Unlock()
			}
		}()
		time.Sleep(20 * time.Millisecond) // people arrive, not all in one instant
	}
	wg.Wait()
	close(rssDone)
	hwm := rssKiB(srv.Process.Pid, "VmHWM")
	cpu := cpuSeconds(srv.Process.Pid)
	ran := time.Since(started)
	_ = srv.Process.Signal(os.Interrupt)
	if err := srv.Wait(); err != nil {
		t.Errorf("the server did not stop cleanly: %v", err)
	}
	stopped = true
	for _, f := range failures {
		t.Error(f)
	}
	if len(failures) > 0 {
		if log, err := os.ReadFile(logPath); err == nil {
			for _, line := range strings.Split(string(log), "\n") {
				if strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") || strings.Contains(line, "idle") {
					t.Log(line)
				}
			}
		}
	}

	st, err := transcripts.OpenReadOnly(db, transcripts.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Every message must be stored exactly once, in the conversation of the
	// session that sent it (its token names the session).
	stored := map[string]int{}
	convs, escalated, misplaced := 0, 0, 0
	for cursor := ""; ; {
		page, err := st.List(transcripts.Filter{}, cursor, 500)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.Items {
			c, err := st.Load(s.ID)
			if err != nil {
				t.Fatal(err)
			}
			convs++
			owner := ""
			for _, e := range c.Entries {
				if e.Role == transcripts.RoleCustomer && strings.HasPrefix(e.Text, "z") && len(e.Text) > 4 {
					stored[e.Text]++
					if owner == "" {
						owner = e.Text[:4]
					} else if e.Text[:4] != owner {
						misplaced++
					}
				}
				if e.Event == transcripts.EventEscalated {
					escalated++
				}
			}
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	lost, twice := 0, 0
	for text := range sent {
		switch n := stored[text]; {
		case n == 0:
			lost++
			if lost <= 5 {
				t.Errorf("a message was sent but not stored: %q", text)
			}
		case n > 1:
			twice++
		}
	}
	if twice > 0 || misplaced > 0 {
		t.Errorf("%d messages stored more than once, %d in another session's conversation", twice, misplaced)
	}
	slices.Sort(echoes)
	pct := func(p float64) time.Duration {
		if len(echoes) == 0 {
			return 0
		}
		return echoes[min(len(echoes)-1, int(p*float64(len(echoes))))]
	}
	t.Logf("load: %d sessions for %ds, %d conversations stored (%d escalated), %d messages sent, %d lost, %d stored twice, %d misplaced",
		sessions, seconds, convs, escalated, len(sent), lost, twice, misplaced)
	t.Logf("keystroke-to-frame: %d samples, p50 %v, p90 %v, p99 %v, max %v",
		len(echoes), pct(0.50).Round(time.Millisecond), pct(0.90).Round(time.Millisecond),
		pct(0.99).Round(time.Millisecond), pct(1).Round(time.Millisecond))
	t.Logf("server memory: peak RSS %d MiB (VmHWM; %d MiB before the first session, sampled peak %d MiB), %.1f MiB more per session",
		hwm/1024, idleRSS/1024, peakRSS/1024, float64(hwm-idleRSS)/1024/float64(sessions))
	t.Logf("server CPU: %.1f s over %.0f s, %.2f cores on average (this machine: %d cores, shared with the clients)",
		cpu, ran.Seconds(), cpu/ran.Seconds(), runtime.NumCPU())
	if lost > 0 {
		t.Errorf("%d of %d messages were lost", lost, len(sent))
	}
}

// cpuSeconds is the user and system CPU time a process has used, from
// /proc (in clock ticks of 1/100 s on Linux).
func cpuSeconds(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name is in parentheses and may hold spaces: count fields
	// after the closing one.
	_, rest, ok := strings.Cut(string(data), ") ")
	if !ok {
		return 0
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return float64(utime+stime) / 100
}

// rssKiB reads a memory figure of a process from /proc, in KiB.
func rssKiB(pid int, field string) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	return 0
}

// loadCustomer is one customer: the contact flow, then a message every
// few seconds until the deadline (half ask for a person after the first),
// then the close. Each message carries a token so the store can be checked.
func loadCustomer(t *testing.T, addr string, n int, escalate bool, deadline time.Time,
	echo func(time.Duration), sent func(string)) error {
	c, err := servetest.Dial(t, addr, fmt.Sprintf("load%d", n), nil, 100, 30)
	if err != nil {
		return err
	}
	defer c.Close()
	const limit = 2 * time.Minute
	if _, err := c.WaitForText(limit, "Who are you?"); err != nil {
		return err
	}
	for _, want := range []string{"Which order is this about?", "What is it about?", "what exactly?", "How would you like to be contacted?", "talking to the assistant"} {
		if err := c.Press("enter"); err != nil {
			return err
		}
		if _, err := c.WaitForText(limit, want); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	for m := 0; time.Now().Before(deadline); m++ {
		token := fmt.Sprintf("z%03dq%03d", n, m)
		d, err := c.TypeAndWaitEcho(token)
		if err != nil {
			return err
		}
		echo(d)
		text := token + " my parcel has still not arrived"
		if err := c.Type(" my parcel has still not arrived"); err != nil {
			return err
		}
		if err := c.Press("enter"); err != nil {
			return err
		}
		sent(text)
		if m == 0 && escalate {
			if _, err := c.WaitFor(func(s string) bool { return !strings.Contains(s, "is answering") }, limit); err != nil {
				return err
			}
			if err := c.Press("ctrl+o"); err != nil {
				return err
			}
			if _, err := c.WaitForText(limit, "Who should answer?"); err != nil {
				return err
			}
			if err := c.Press("enter"); err != nil {
				return err
			}
		}
		time.Sleep(time.Duration(2000+rng.IntN(3000)) * time.Millisecond)
	}
	// Close the conversation so it is stored as closed, and wait for it.
	if err := c.Press("ctrl+x"); err != nil {
		return err
	}
	scr, err := c.WaitForText(limit, "How did we do?")
	if err != nil {
		return err
	}
	// The operator is rated only when one joined: one row, or two.
	keys := []string{"4", "enter"}
	if strings.Contains(scr, "The operator") {
		keys = append(keys, "5", "enter")
	}
	for _, k := range keys {
		press := c.Type
		if k == "enter" {
			press = c.Press
		}
		if err := press(k); err != nil {
			return err
		}
	}
	_, err = c.WaitForText(limit, "Conversation closed")
	return err
}
