package transcripts

import (
	"bytes"
	"os"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// eventsOf lists a conversation's system events in order.
func eventsOf(c Conversation) []Event {
	var out []Event
	for _, e := range c.Entries {
		if e.Role == RoleSystem {
			out = append(out, e.Event)
		}
	}
	return out
}

// Issue 15: a conversation closed with two ratings has one close event, at
// the chat's (simulated) time, however many times it is closed; a resumed
// conversation closed again has a close for each session.
func TestOneCloseEventPerConversation(t *testing.T) {
	sim := time.Date(2030, 1, 2, 10, 0, 0, 0, jst) // --clock far from the wall clock
	at := func(n int) time.Time { return sim.Add(time.Duration(n) * time.Second) }
	rating := func(n int, stage string, stars int) Entry {
		return Entry{At: at(n), Role: RoleSystem, Event: EventRating, Author: stage, Meta: &Meta{Rating: stars}}
	}
	closed := func(n int) Entry { return Entry{At: at(n), Role: RoleSystem, Event: EventClosed} }
	tests := []struct {
		name       string
		steps      []Entry // appended in order; a zero Entry means CloseConversation
		wantEvents []Event
		wantClosed []time.Time // when the close events are
	}{
		{"two ratings, the chat's close, then CloseConversation",
			[]Entry{rating(2, RatedBot, 2), rating(3, RatedOperator, 5), closed(4), {}},
			[]Event{EventRating, EventRating, EventClosed}, []time.Time{at(4)}},
		{"closed twice by AppendEntry", []Entry{closed(2), closed(3)}, []Event{EventClosed}, []time.Time{at(2)}},
		{"CloseConversation twice", []Entry{{}, {}}, []Event{EventClosed}, nil},
		{"closed, resumed, closed again",
			[]Entry{closed(2), {At: at(3), Role: RoleSystem, Event: EventResumed}, closed(4), {}},
			[]Event{EventClosed, EventResumed, EventClosed}, []time.Time{at(2), at(4)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTemp(t)
			c, err := s.CreateConversation(Conversation{StartedAt: sim, Lang: "ja",
				Entries: []Entry{{At: at(1), Role: RoleCustomer, Text: "ありがとう"}}})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range tt.steps {
				if e.Role == "" {
					err = s.CloseConversation(c.ID)
				} else {
					_, err = s.AppendEntry(c.ID, e)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Load(c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ev := eventsOf(got); !slices.Equal(ev, tt.wantEvents) {
				t.Fatalf("events %v, want %v", ev, tt.wantEvents)
			}
			var closes []time.Time
			for _, e := range got.Entries {
				if e.Event == EventClosed {
					closes = append(closes, e.At)
				}
			}
			if tt.wantClosed != nil && !slices.EqualFunc(closes, tt.wantClosed, time.Time.Equal) {
				t.Fatalf("closed at %v, want %v", closes, tt.wantClosed)
			}
			if got.Status != StatusClosed {
				t.Fatalf("status %s", got.Status)
			}
			last := got.StartedAt
			for _, e := range got.Entries {
				if e.At.After(last) {
					last = e.At
				}
			}
			page, _ := s.List(Filter{}, "", 1)
			if page.Items[0].Entries != len(got.Entries) || !page.Items[0].LastAt.Equal(last) {
				t.Fatalf("summary %d entries, last %v; conversation %d, last %v", page.Items[0].Entries, page.Items[0].LastAt,
					len(got.Entries), last)
			}
		})
	}
}

// Issue 15: authors are stored as roles and names, never as the chat's word
// for the customer.
func TestCustomerAuthorsAreNamesNotUIWords(t *testing.T) {
	tests := []struct {
		name     string
		customer string
		entry    Entry
		want     string
	}{
		{"You with a name", "佐藤 花子", Entry{Role: RoleCustomer, Author: "You", Text: "hi"}, "佐藤 花子"},
		{"あなた with a name", "佐藤 花子", Entry{Role: RoleCustomer, Author: "あなた", Text: "こんにちは"}, "佐藤 花子"},
		{"You without a name", "", Entry{Role: RoleCustomer, Author: "You", Text: "hi"}, ""},
		{"a real name stays", "佐藤 花子", Entry{Role: RoleCustomer, Author: "Hanako", Text: "hi"}, "Hanako"},
		{"an operator called You stays", "佐藤 花子", Entry{Role: RoleOperator, Author: "You", Text: "hi"}, "You"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTemp(t)
			at := time.Date(2026, 11, 26, 10, 0, 0, 0, jst)
			tt.entry.At = at.Add(time.Second)
			// Appended live, and created with its entries (as Import does).
			live, err := s.CreateConversation(Conversation{ID: "live", StartedAt: at, Lang: "ja", Customer: Customer{Name: tt.customer}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.AppendEntry(live.ID, tt.entry); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateConversation(Conversation{ID: "created", StartedAt: at, Lang: "ja",
				Customer: Customer{Name: tt.customer}, Entries: []Entry{tt.entry}}); err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{"live", "created"} {
				c, err := s.Load(id)
				if err != nil {
					t.Fatal(err)
				}
				if got := c.Entries[0].Author; got != tt.want {
					t.Errorf("%s: author %q, want %q", id, got, tt.want)
				}
			}
		})
	}
}

// writeLegacyStore writes conversations the way version 2 did, without the
// faithful fixes (duplicate closes, "You" authors and all, indexed as they
// were), and returns the path of the version 2 file.
func writeLegacyStore(t *testing.T, convs ...Conversation) string {
	t.Helper()
	s, path := openTemp(t)
	s.Close()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, c := range convs {
			h := &header{ID: c.ID, StartedAt: c.StartedAt, Lang: c.Lang, Customer: c.Customer, Status: StatusOpen, LastAt: c.StartedAt}
			eb := tx.Bucket(bucketEntries)
			for i := range c.Entries {
				seq, _ := eb.NextSequence()
				b, _ := marshalJSON(&c.Entries[i])
				if err := eb.Put(entryKey(c.ID, seq), b); err != nil {
					return err
				}
				applyEntry(h, &c.Entries[i])
			}
			if err := putHeader(txWriter{tx}, h); err != nil {
				return err
			}
			if err := putTerms(txWriter{tx}, h, conversationTerms(h, c.Entries)); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(2))
	})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// legacyConversation is what older versions stored for a chat closed with
// two ratings: "You" as the customer's author and the close twice, the
// second at wall-clock time (earlier than the first under --speed).
func legacyConversation(id, name string) Conversation {
	sim := time.Date(2030, 1, 2, 10, 0, 0, 0, jst)
	wall := time.Date(2026, 11, 26, 9, 0, 0, 0, jst)
	return Conversation{ID: id, StartedAt: sim, Lang: "en", Customer: Customer{Name: name},
		Entries: []Entry{
			{At: sim.Add(1 * time.Second), Role: RoleCustomer, Author: "You", Text: "my kettle leaks"},
			{At: sim.Add(2 * time.Second), Role: RoleBot, Text: "Sorry to hear that."},
			{At: sim.Add(3 * time.Second), Role: RoleSystem, Event: EventRating, Author: RatedBot, Meta: &Meta{Rating: 2}},
			{At: sim.Add(4 * time.Second), Role: RoleSystem, Event: EventRating, Author: RatedOperator, Meta: &Meta{Rating: 5}},
			{At: sim.Add(5 * time.Second), Role: RoleSystem, Event: EventClosed},
			{At: wall, Role: RoleSystem, Event: EventClosed},
		}}
}

// The version 3 migration fixes existing stores; before it has run (a
// reader never migrates), readers see the same fixed records.
func TestFaithfulMigration(t *testing.T) {
	path := writeLegacyStore(t, legacyConversation("named", "Yumi Sato"), legacyConversation("anonymous", ""),
		Conversation{ID: "untouched", StartedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Lang: "en",
			Entries: []Entry{{At: time.Date(2026, 1, 1, 0, 0, 1, 0, time.UTC), Role: RoleCustomer, Author: "Ken", Text: "hello"}}})
	legacy, _ := os.ReadFile(path)
	check := func(t *testing.T, s *Store) {
		t.Helper()
		tests := []struct {
			id, author string
			entries    int
		}{
			{"named", "Yumi Sato", 5},
			{"anonymous", "", 5},
			{"untouched", "Ken", 1},
		}
		for _, tt := range tests {
			c, err := s.Load(tt.id)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Entries) != tt.entries || c.Entries[0].Author != tt.author {
				t.Errorf("%s: %d entries, author %q; want %d, %q", tt.id, len(c.Entries), c.Entries[0].Author, tt.entries, tt.author)
			}
			if tt.entries == 5 && (eventsOf(c)[2] != EventClosed || !c.Entries[4].At.Equal(c.StartedAt.Add(5*time.Second))) {
				t.Errorf("%s: the close kept is not the first: %+v", tt.id, c.Entries[4])
			}
		}
		var n int
		if err := s.ForEach(func(c Conversation) error { n += len(c.Entries); return nil }); err != nil || n != 11 {
			t.Errorf("ForEach saw %d entries, %v", n, err)
		}
	}
	t.Run("a reader fixes in memory and changes nothing", func(t *testing.T) {
		r, err := OpenReadOnly(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		check(t, r)
		r.Close()
		if now, _ := os.ReadFile(path); !bytes.Equal(now, legacy) {
			t.Fatal("the reader changed the file")
		}
	})
	t.Run("a writer migrates", func(t *testing.T) {
		s, err := Open(path, Options{Verify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if v := readVersionOf(t, s); v != SchemaVersion {
			t.Fatalf("version %d after opening", v)
		}
		check(t, s)
		page, err := s.List(Filter{}, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			if it.ID == "named" && (it.Entries != 5 || !it.LastAt.Equal(it.StartedAt.Add(5*time.Second)) || it.Rating != 5) {
				t.Errorf("header not rebuilt: %+v", it)
			}
		}
		if res, _ := s.Search("you", Filter{}, 10); res.Total != 0 {
			t.Errorf(`"you" still finds %d conversations`, res.Total)
		}
		if res, _ := s.Search("Sato", Filter{}, 10); res.Total != 1 {
			t.Errorf(`"Sato" finds %d conversations`, res.Total)
		}
	})
}

func readVersionOf(t *testing.T, s *Store) uint64 {
	t.Helper()
	var v uint64
	if err := s.view(func(tx *bbolt.Tx) error {
		var err error
		v, err = fileVersion(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestFaithfulEntriesNeverChangesItsInput(t *testing.T) {
	in := legacyConversation("x", "Yumi").Entries
	before := slices.Clone(in)
	out := faithfulEntries(in, "Yumi")
	if len(out) != 5 || out[0].Author != "Yumi" {
		t.Fatalf("out %+v", out)
	}
	if !slices.EqualFunc(in, before, func(a, b Entry) bool { return a.Author == b.Author && a.Event == b.Event }) {
		t.Fatal("the input was changed")
	}
	clean := out[:4]
	if again := faithfulEntries(clean, "Yumi"); &again[0] != &clean[0] {
		t.Fatal("a clean slice was copied")
	}
}
