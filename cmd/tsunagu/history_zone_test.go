package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tsunagu/transcripts"
)

// The time zone tests run the test binary again with TZ set, since the
// machine's zone is read once per process.
const (
	zoneHelperDB   = "TSUNAGU_ZONE_HELPER_DB"
	zoneHelperArgs = "TSUNAGU_ZONE_HELPER_ARGS" // command lines: \x1e between, \x1f between arguments
)

// TestHistoryZoneHelper is not a test on its own: TestHistoryTimesIgnoreTZ
// runs it in a child process to print what each command line prints.
func TestHistoryZoneHelper(t *testing.T) {
	db := os.Getenv(zoneHelperDB)
	if db == "" {
		t.Skip("run by TestHistoryTimesIgnoreTZ")
	}
	for i, line := range strings.Split(os.Getenv(zoneHelperArgs), "\x1e") {
		var out, errOut bytes.Buffer
		code := run(append([]string{"--db", db, "--lang", "en"}, strings.Split(line, "\x1f")...), strings.NewReader(""), &out, &errOut)
		fmt.Printf("=== %d exit %d\n%s%s", i, code, out.String(), errOut.String())
	}
}

// the product contract, issue 15: with any TZ, a conversation started 2026-02-01
// 03:00 +09:00 is listed by --from/--to 2026-02-01 (and not by a day
// before), and list and show print it at 03:00.
func TestHistoryTimesIgnoreTZ(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tsunagu.db")
	s, err := transcripts.Open(path, transcripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tokyo := time.Date(2026, 2, 1, 3, 0, 0, 0, time.FixedZone("", 9*3600))
	newYork := time.Date(2026, 1, 31, 22, 0, 0, 0, time.FixedZone("", -5*3600)) // 2026-02-01 03:00 UTC
	for _, c := range []transcripts.Conversation{
		{ID: "conv-tokyo", StartedAt: tokyo, Lang: "ja", Customer: transcripts.Customer{Name: "佐藤"},
			Entries: []transcripts.Entry{{At: tokyo.Add(5 * time.Minute), Role: transcripts.RoleCustomer, Text: "荷物が届きません"}}},
		{ID: "conv-newyork", StartedAt: newYork, Lang: "en",
			Entries: []transcripts.Entry{{At: newYork.Add(5 * time.Minute), Role: transcripts.RoleCustomer, Text: "where is my parcel"}}},
	} {
		if _, err := s.CreateConversation(c); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	commands := [][]string{
		{"history", "list", "--from", "2026-02-01", "--to", "2026-02-01"},
		{"history", "list", "--to", "2026-01-31"},
		{"history", "show", "conv-tokyo"},
		{"history", "search", "荷物", "--from", "2026-02-01"},
		{"history", "export", "conv-tokyo", "--format", "md"},
	}
	want := [][]string{
		{"2026-02-01 03:00", "conv-tokyo"},
		{"2026-01-31 22:00", "conv-newyork"},
		{"2026-02-01 03:00 +09:00", "\n03:05:00  Customer"},
		{"conv-tokyo"},
		{"Started: 2026-02-01 03:00:00 +09:00", "03:05:00 · Customer"},
	}
	notWant := [][]string{{"conv-newyork"}, {"conv-tokyo"}, nil, nil, nil}
	var lines []string
	for _, c := range commands {
		lines = append(lines, strings.Join(c, "\x1f"))
	}
	for _, tz := range []string{"UTC", "Asia/Tokyo", "America/New_York", "Pacific/Kiritimati"} {
		t.Run(tz, func(t *testing.T) {
			if _, err := os.Stat(filepath.Join("/usr/share/zoneinfo", tz)); err != nil && tz != "UTC" {
				t.Skipf("no zoneinfo for %s", tz)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestHistoryZoneHelper$")
			cmd.Env = append(os.Environ(), "TZ="+tz, zoneHelperDB+"="+path, zoneHelperArgs+"="+strings.Join(lines, "\x1e"))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("helper: %v\n%s", err, out)
			}
			parts := strings.Split(string(out), "=== ")
			for i := range commands {
				prefix := fmt.Sprintf("%d exit 0\n", i)
				j := 1 + i
				if j >= len(parts) || !strings.HasPrefix(parts[j], prefix) {
					t.Fatalf("%v did not run cleanly:\n%s", commands[i], out)
				}
				for _, w := range want[i] {
					if !strings.Contains(parts[j], w) {
						t.Errorf("%v lacks %q:\n%s", commands[i], w, parts[j])
					}
				}
				for _, w := range notWant[i] {
					if strings.Contains(parts[j], w) {
						t.Errorf("%v has %q:\n%s", commands[i], w, parts[j])
					}
				}
			}
		})
	}
}
