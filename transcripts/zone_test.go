package transcripts

import (
	"slices"
	"testing"
	"time"
)

// zoneStore holds conversations started near the 1-2 February boundary in
// zones from UTC-12 to UTC+14, each with the word "parcel".
func zoneStore(t *testing.T) *Store {
	t.Helper()
	s, _ := openTemp(t)
	for _, c := range []struct {
		id string
		at time.Time
	}{
		{"tokyo-0201-0300", time.Date(2026, 2, 1, 3, 0, 0, 0, time.FixedZone("", 9*3600))},
		{"tokyo-0131-2359", time.Date(2026, 1, 31, 23, 59, 0, 0, time.FixedZone("", 9*3600))},
		{"ny-0131-2300", time.Date(2026, 1, 31, 23, 0, 0, 0, time.FixedZone("", -5*3600))},
		{"line-0201-0000", time.Date(2026, 2, 1, 0, 0, 0, 0, time.FixedZone("", 14*3600))},
		{"baker-0201-2359", time.Date(2026, 2, 1, 23, 59, 0, 0, time.FixedZone("", -12*3600))},
		{"utc-0202-0000", time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)},
		{"india-0201-1200", time.Date(2026, 2, 1, 12, 0, 0, 0, time.FixedZone("", 5*3600+1800))},
	} {
		_, err := s.CreateConversation(Conversation{ID: c.id, StartedAt: c.at, Lang: "en",
			Entries: []Entry{{At: c.at.Add(time.Second), Role: RoleCustomer, Text: "where is my parcel"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func day(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// the product contract: --from/--to days mean days in each conversation's own
// zone, for List (every page) and Search alike.
func TestDateFiltersUseEachConversationsZone(t *testing.T) {
	s := zoneStore(t)
	tests := []struct {
		name     string
		from, to string
		instFrom time.Time
		want     []string
	}{
		{"one day", "2026-02-01", "2026-02-01", time.Time{},
			[]string{"baker-0201-2359", "india-0201-1200", "line-0201-0000", "tokyo-0201-0300"}},
		{"from only", "2026-02-01", "", time.Time{},
			[]string{"baker-0201-2359", "india-0201-1200", "line-0201-0000", "tokyo-0201-0300", "utc-0202-0000"}},
		{"to only", "", "2026-01-31", time.Time{}, []string{"ny-0131-2300", "tokyo-0131-2359"}},
		{"a day and an instant", "2026-02-01", "2026-02-01", time.Date(2026, 2, 1, 6, 0, 0, 0, time.UTC),
			[]string{"baker-0201-2359", "india-0201-1200"}},
		{"a day with none", "2026-02-03", "", time.Time{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Filter{From: tt.instFrom}
			if tt.from != "" {
				f.FromDate = day(t, tt.from)
			}
			if tt.to != "" {
				f.ToDate = day(t, tt.to)
			}
			for _, limit := range []int{1, 2, 100} {
				var got []string
				cursor := ""
				for {
					page, err := s.List(f, cursor, limit)
					if err != nil {
						t.Fatal(err)
					}
					for _, it := range page.Items {
						got = append(got, it.ID)
					}
					if page.Next == "" {
						break
					}
					cursor = page.Next
				}
				slices.Sort(got)
				if !slices.Equal(got, tt.want) {
					t.Errorf("List limit %d = %v, want %v", limit, got, tt.want)
				}
			}
			res, err := s.Search("parcel", f, 100)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range res.Items {
				got = append(got, it.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) || res.Total != len(tt.want) {
				t.Errorf("Search = %v (total %d), want %v", got, res.Total, tt.want)
			}
		})
	}
}

// Stored times keep their offset, and the store hands them out in the
// recorded zone, never in time.Local, so they read the same whatever TZ is.
func TestTimesComeBackInTheRecordedZone(t *testing.T) {
	s := zoneStore(t)
	tests := []struct {
		id, wall, zone string
	}{
		{"tokyo-0201-0300", "2026-02-01 03:00 +09:00", "UTC+09:00"},
		{"ny-0131-2300", "2026-01-31 23:00 -05:00", "UTC-05:00"},
		{"india-0201-1200", "2026-02-01 12:00 +05:30", "UTC+05:30"},
		{"utc-0202-0000", "2026-02-02 00:00 +00:00", "UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c, err := s.Load(tt.id)
			if err != nil {
				t.Fatal(err)
			}
			const layout = "2006-01-02 15:04 -07:00"
			if got := c.StartedAt.Format(layout); got != tt.wall {
				t.Errorf("Load StartedAt = %s, want %s", got, tt.wall)
			}
			if c.StartedAt.Location() == time.Local && tt.zone != "UTC" {
				t.Error("StartedAt is in time.Local")
			}
			if got := c.Location().String(); got != tt.zone {
				t.Errorf("Location = %q, want %q", got, tt.zone)
			}
			if got := c.In(c.Entries[0].At.UTC()).Format(layout); got != tt.wall {
				t.Errorf("an entry shown in the conversation's zone = %s, want %s", got, tt.wall)
			}
			res, err := s.Search("parcel", Filter{FromDate: DateOf(c.StartedAt), ToDate: DateOf(c.StartedAt)}, 100)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(res.Items, func(it Summary) bool { return it.ID == tt.id })
			if i < 0 {
				t.Fatalf("not found on its own day")
			}
			it := res.Items[i]
			if got := it.StartedAt.Format(layout); got != tt.wall || it.Location().String() != tt.zone {
				t.Errorf("Summary StartedAt = %s in %s, want %s in %s", got, it.Location(), tt.wall, tt.zone)
			}
			if got := it.LastAt.Format("-07:00"); got != tt.wall[len(tt.wall)-6:] {
				t.Errorf("Summary LastAt offset = %s", got)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"2026-02-01", Date{2026, time.February, 1}, true},
		{"2026-2-1", Date{}, false},
		{"2026-02-30", Date{}, false},
		{"yesterday", Date{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v", tt.in, got, err)
		}
		if tt.ok && got.String() != tt.in {
			t.Errorf("String() = %s", got)
		}
	}
}
