package transcripts

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// A UTF-8 byte-order mark before the first line is not an error; start
// dates outside the years the store can order are refused by name, and
// filters past them clamp instead of wrapping around.
func TestImportBOMAndStartDates(t *testing.T) {
	line := func(id, started string) string {
		return `{"id":"` + id + `","started_at":"` + started + `","lang":"en","entries":[{"at":"2026-11-26T10:00:01+09:00","role":"customer","text":"hi"}]}`
	}
	tests := []struct {
		name     string
		input    string
		imported int
		badLine  int    // 0: no bad line
		wantErr  string // in the bad line's error
	}{
		{"BOM on the first line", "\xEF\xBB\xBF" + line("bom-1", "2026-11-26T10:00:00+09:00") + "\n", 1, 0, ""},
		{"BOM, CRLF lines", "\xEF\xBB\xBF" + line("bom-1", "2026-11-26T10:00:00+09:00") + "\r\n" + line("bom-2", "2026-11-26T11:00:00+09:00") + "\r\n", 2, 0, ""},
		{"BOM before a pretty-printed record", "\xEF\xBB\xBF{\n" + strings.TrimPrefix(line("bom-1", "2026-11-26T10:00:00+09:00"), "{") + "\n", 1, 0, ""},
		{"a BOM later is an error", line("ok-1", "2026-11-26T10:00:00+09:00") + "\n\xEF\xBB\xBF" + line("bad-2", "2026-11-26T10:00:00+09:00") + "\n", 1, 2, "invalid character"},
		{"year 1500", line("old", "1500-01-01T00:00:00Z") + "\n", 0, 1, "starts in the year 1500; tsunagu keeps conversations started from 1678 to 2261"},
		{"year 1677", line("old", "1677-12-31T00:00:00Z") + "\n", 0, 1, "year 1677"},
		{"year 1678", line("old", "1678-01-01T00:00:00Z") + "\n", 1, 0, ""},
		{"year 2261", line("far", "2261-12-31T23:59:59Z") + "\n", 1, 0, ""},
		{"year 2262", line("far", "2262-01-01T00:00:00Z") + "\n", 0, 1, "year 2262"},
		{"year 9999", line("far", "9999-12-31T23:59:59Z") + "\n", 0, 1, "year 9999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTemp(t)
			rep, err := s.Import(strings.NewReader(tt.input))
			if err != nil || rep.Imported != tt.imported {
				t.Fatalf("Import = %+v, %v; want %d imported", rep, err, tt.imported)
			}
			if tt.badLine == 0 {
				if rep.BadLines != 0 {
					t.Fatalf("bad lines: %+v", rep.Errors)
				}
				return
			}
			if rep.BadLines != 1 || rep.Errors[0].Line != tt.badLine || !strings.Contains(rep.Errors[0].Err, tt.wantErr) {
				t.Fatalf("errors %+v, want line %d: %s", rep.Errors, tt.badLine, tt.wantErr)
			}
		})
	}
}

func TestStartDatesOrderAtTheEdgesAndFiltersClamp(t *testing.T) {
	s, _ := openTemp(t)
	for _, c := range []struct {
		id string
		at time.Time
	}{
		{"earliest", time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"before-1970", time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"now", time.Date(2026, 11, 26, 10, 0, 0, 0, jst)},
		{"latest", time.Date(2261, 12, 31, 23, 59, 59, 0, time.UTC)},
	} {
		if _, err := s.CreateConversation(Conversation{ID: c.id, StartedAt: c.at, Lang: "en"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateConversation(Conversation{ID: "too-late", StartedAt: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), Lang: "en"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("year 2300: %v", err)
	}
	ids := func(f Filter) string {
		page, err := s.List(f, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range page.Items {
			out = append(out, it.ID)
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name string
		f    Filter
		want string
	}{
		{"all, newest first", Filter{}, "latest now before-1970 earliest"},
		{"from year 3000", Filter{From: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}, ""},
		{"to year 3000", Filter{To: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}, "latest now before-1970 earliest"},
		{"from year 1000", Filter{From: time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)}, "latest now before-1970 earliest"},
		{"to year 1000", Filter{To: time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)}, ""},
		{"before 1970", Filter{To: time.Unix(0, 0)}, "before-1970 earliest"},
	}
	for _, tt := range tests {
		if got := ids(tt.f); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
