package transcripts

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// SearchAfter pages through every match, newest first, each once; its
// pages joined are what Search lists with a limit big enough, with or
// without a filter, and Total counts every match on every page.
func TestSearchAfterPagesThroughAllMatches(t *testing.T) {
	s, _ := openTemp(t)
	var b strings.Builder
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, jst)
	for i := range 257 {
		c := Conversation{ID: fmt.Sprintf("c%03d", i), StartedAt: start.Add(time.Duration(i) * time.Hour), Lang: "en",
			Topic: "delivery/late", Channel: "chat", Status: StatusClosed,
			Entries: []Entry{{At: start.Add(time.Duration(i)*time.Hour + time.Second), Role: RoleCustomer, Text: fmt.Sprintf("parcel %d late", i)}}}
		if i%3 == 0 {
			c.Status = StatusAbandoned
		}
		line, err := EncodeJSON(c)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if rep, err := s.Import(strings.NewReader(b.String())); err != nil || rep.Imported != 257 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	for _, f := range []Filter{{}, {Status: StatusAbandoned}, {FromDate: Date{2026, 2, 3}, ToDate: Date{2026, 2, 6}}} {
		all, err := s.Search("parcel", f, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		cursor, pages := "", 0
		for {
			p, err := s.SearchAfter("parcel", f, cursor, 40)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if p.Total != all.Total {
				t.Fatalf("%+v: page %d total %d, want %d", f, pages, p.Total, all.Total)
			}
			if len(p.Items) > 40 || (p.Next != "" && len(p.Items) != 40) {
				t.Fatalf("%+v: page %d has %d items, next %q", f, pages, len(p.Items), p.Next)
			}
			for _, it := range p.Items {
				got = append(got, it.ID)
			}
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		var want []string
		for _, it := range all.Items {
			want = append(want, it.ID)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("%+v: pages give\n%v\nwant\n%v", f, got, want)
		}
		if wantPages := max((all.Total+39)/40, 1); pages != wantPages {
			t.Fatalf("%+v: %d pages, want %d", f, pages, wantPages)
		}
	}
	// A deleted match does not shift the next page.
	first, _ := s.SearchAfter("parcel", Filter{}, "", 10)
	if err := s.Delete(first.Items[9].ID); err != nil {
		t.Fatal(err)
	}
	second, _ := s.SearchAfter("parcel", Filter{}, first.Next, 10)
	if second.Items[0].ID != "c246" || second.Total != 256 {
		t.Fatalf("after a delete the next page starts at %s (total %d)", second.Items[0].ID, second.Total)
	}
	if _, err := s.SearchAfter("parcel", Filter{}, "!!", 10); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad cursor: %v", err)
	}
	if _, err := s.SearchAfter("  ", Filter{}, "", 10); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty query: %v", err)
	}
}
