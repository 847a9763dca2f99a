package transcripts

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCreateAppendLoad(t *testing.T) {
	s, _ := openTemp(t)
	want := sampleConversation("conv-1")
	if _, err := s.CreateConversation(want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("conv-1")
	if err != nil {
		t.Fatal(err)
	}
	gb, _ := EncodeJSON(got)
	wb, _ := EncodeJSON(want)
	if !bytes.Equal(gb, wb) {
		t.Fatalf("loaded conversation differs:\n got %s\nwant %s", gb, wb)
	}

	seq, err := s.AppendMessage("conv-1", RoleCustomer, "佐藤 花子", "ありがとうございました")
	if err != nil || seq == 0 {
		t.Fatalf("AppendMessage = %d, %v", seq, err)
	}
	got, _ = s.Load("conv-1")
	if n := len(got.Entries); n != len(want.Entries)+1 || got.Entries[n-1].Text != "ありがとうございました" {
		t.Fatalf("after append: %d entries, last %+v", n, got.Entries[n-1])
	}

	if _, err := s.AppendMessage("nope", RoleCustomer, "", "hi"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("append to unknown conversation: %v, want ErrNotFound", err)
	}
	if _, err := s.CreateConversation(want); !errors.Is(err, ErrExists) {
		t.Fatalf("second create with the same id: %v, want ErrExists", err)
	}
}

func TestCreateFillsIDTimeAndStatus(t *testing.T) {
	s, _ := openTemp(t)
	c, err := s.CreateConversation(Conversation{Lang: "en", Customer: Customer{Name: "Sam"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.ID, "c20261126-") || c.Status != StatusOpen || c.StartedAt.IsZero() {
		t.Fatalf("filled conversation = %+v", c)
	}
}

func TestStatusFollowsEvents(t *testing.T) {
	s, _ := openTemp(t)
	c, err := s.CreateConversation(Conversation{ID: "c1", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		entry      Entry
		wantStatus Status
		escalated  bool
		rating     int
	}{
		{Entry{At: at, Role: RoleCustomer, Text: "I want a person"}, StatusOpen, false, 0},
		{Entry{At: at.Add(time.Second), Role: RoleSystem, Event: EventEscalated, Meta: &Meta{Reason: "human_requested"}}, StatusEscalated, true, 0},
		{Entry{At: at.Add(2 * time.Second), Role: RoleSystem, Event: EventRating, Meta: &Meta{Rating: 4}}, StatusEscalated, true, 4},
		{Entry{At: at.Add(3 * time.Second), Role: RoleSystem, Event: EventClosed}, StatusClosed, true, 4},
	}
	for i, st := range steps {
		if _, err := s.AppendEntry(c.ID, st.entry); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		page, err := s.List(Filter{}, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		got := page.Items[0]
		if got.Status != st.wantStatus || got.Escalated != st.escalated || got.Rating != st.rating || got.Entries != i+1 {
			t.Fatalf("step %d: summary %+v", i, got)
		}
	}
}

func TestAppendValidates(t *testing.T) {
	s, _ := openTemp(t)
	if _, err := s.CreateConversation(Conversation{ID: "c1", Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	at := time.Now()
	for _, e := range []Entry{
		{Role: RoleCustomer, Text: "no time"},
		{At: at, Role: "wizard", Text: "bad role"},
		{At: at, Role: RoleCustomer},
		{At: at, Role: RoleSystem},
	} {
		if _, err := s.AppendEntry("c1", e); !errors.Is(err, ErrInvalid) {
			t.Errorf("AppendEntry(%+v) = %v, want ErrInvalid", e, err)
		}
	}
	for _, id := range []string{"", "has space", "ctl\x1b", strings.Repeat("x", 129)} {
		if _, err := s.CreateConversation(Conversation{ID: id, Lang: "en", StartedAt: at}); !errors.Is(err, ErrInvalid) && id != "" {
			t.Errorf("CreateConversation(id %q) = %v, want ErrInvalid", id, err)
		}
	}
}

func TestInvalidUTF8BecomesReplacementChar(t *testing.T) {
	s, _ := openTemp(t)
	if _, err := s.CreateConversation(Conversation{ID: "c1", Lang: "en", Customer: Customer{Name: "bad\xffname"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendMessage("c1", RoleCustomer, "", "broken \xc3\x28 text"); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Load("c1")
	if c.Customer.Name != "bad\uFFFDname" || c.Entries[0].Text != "broken \uFFFD( text" {
		t.Fatalf("got name %q text %q", c.Customer.Name, c.Entries[0].Text)
	}
}

func TestListPagingAndFilters(t *testing.T) {
	s, _ := openTemp(t)
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	topics := []string{"delivery/not_arrived", "returns/refund", "account/login"}
	for i := range 30 {
		c := Conversation{ID: "c" + string(rune('A'+i/10)) + string(rune('0'+i%10)), StartedAt: base.Add(time.Duration(i) * time.Hour),
			Lang: "en", Topic: topics[i%3], Status: StatusOpen}
		if i%4 == 0 {
			c.Entries = append(c.Entries, Entry{At: c.StartedAt, Role: RoleSystem, Event: EventEscalated})
		}
		if i%5 == 0 {
			c.Entries = append(c.Entries, Entry{At: c.StartedAt, Role: RoleSystem, Event: EventRating, Meta: &Meta{Rating: 1 + i%5 + i/10}})
		}
		if _, err := s.CreateConversation(c); err != nil {
			t.Fatal(err)
		}
	}
	// Paging returns every conversation once, newest first.
	var all []Summary
	cursor := ""
	for {
		page, err := s.List(Filter{}, cursor, 7)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if len(all) != 30 {
		t.Fatalf("paged through %d conversations, want 30", len(all))
	}
	if !slices.IsSortedFunc(all, func(a, b Summary) int { return b.StartedAt.Compare(a.StartedAt) }) {
		t.Fatal("list is not newest first")
	}

	tests := []struct {
		name   string
		filter Filter
		want   func(i int) bool
	}{
		{"topic", Filter{Topic: "returns"}, func(i int) bool { return i%3 == 1 }},
		{"exact topic", Filter{Topic: "account/login"}, func(i int) bool { return i%3 == 2 }},
		{"escalated", Filter{Escalated: true}, func(i int) bool { return i%4 == 0 }},
		{"status", Filter{Status: StatusEscalated}, func(i int) bool { return false }},
		{"rating at most 2", Filter{MaxRating: 2}, func(i int) bool { return i%5 == 0 && 1+i/10 <= 2 }},
		{"date range", Filter{From: base.Add(5 * time.Hour), To: base.Add(9 * time.Hour)}, func(i int) bool { return i >= 5 && i < 9 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := s.List(tt.filter, "", 100)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i := 29; i >= 0; i-- {
				if tt.want(i) {
					want = append(want, "c"+string(rune('A'+i/10))+string(rune('0'+i%10)))
				}
			}
			var got []string
			for _, it := range page.Items {
				got = append(got, it.ID)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
	if _, err := s.List(Filter{}, "!!", 5); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad cursor: %v", err)
	}
}

func TestSearch(t *testing.T) {
	s, _ := openTemp(t)
	if _, err := s.CreateConversation(sampleConversation("ja-1")); err != nil {
		t.Fatal(err)
	}
	other := Conversation{ID: "en-1", StartedAt: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Lang: "en",
		Customer: Customer{Name: "Sam Smith"}, Entries: []Entry{
			{At: time.Date(2026, 11, 27, 9, 0, 1, 0, time.UTC), Role: RoleCustomer, Text: "Where is my ＰＡＲＣＥＬ? ﾍﾝﾋﾟﾝ"},
		}}
	if _, err := s.CreateConversation(other); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendMessage("en-1", RoleCustomer, "Sam Smith", "I'd like a refund for order 250-1234567-1234567"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"返品", []string{"ja-1"}},
		{"返品したい", []string{"ja-1"}},
		{"届い", []string{"ja-1"}},
		{"品", []string{"ja-1"}},
		{"refund", []string{"en-1", "ja-1"}}, // "Refunds" in ja-1, "refund" in en-1
		{"REFUNDS", []string{"ja-1"}},
		{"parcel", []string{"en-1"}},
		{"ヘンピン", []string{"en-1"}},   // half-width katakana normalised
		{"tanaka", []string{"ja-1"}}, // operator name
		{"佐藤", []string{"ja-1"}},     // customer name
		{"250-1234567-1234567", []string{"en-1", "ja-1"}},
		{"refund 返品", []string{"ja-1"}},
		{"xyzzy", nil},
		{"返金", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, err := s.Search(tt.query, Filter{}, 10)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range res.Items {
				got = append(got, it.ID)
			}
			if !slices.Equal(got, tt.want) || res.Total != len(tt.want) {
				t.Fatalf("Search(%q) = %v (total %d), want %v", tt.query, got, res.Total, tt.want)
			}
		})
	}
	if _, err := s.Search("  !! ", Filter{}, 10); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty query: %v", err)
	}
	res, err := s.Search("refund", Filter{Status: StatusClosed}, 10)
	if err != nil || len(res.Items) != 1 || res.Items[0].ID != "ja-1" {
		t.Fatalf("search with a status filter = %+v, %v", res, err)
	}
}

func TestTrainingSessions(t *testing.T) {
	s, _ := openTemp(t)
	for i, tr := range []string{"aki", "ben", "aki"} {
		id, err := s.SaveTraining(TrainingSession{Trainee: tr, ScenarioID: "late-parcel", Score: float64(60 + i*10),
			Items: []byte(`[{"item":"empathy","ok":true},{"item":"card","said":"4111 1111 1111 1111"}]`)})
		if err != nil || id != uint64(i+1) {
			t.Fatalf("SaveTraining = %d, %v", id, err)
		}
	}
	aki, err := s.ListTraining("aki", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(aki) != 2 || aki[0].ID != 3 || aki[1].ID != 1 || aki[0].Score != 80 {
		t.Fatalf("ListTraining(aki) = %+v", aki)
	}
	if strings.Contains(string(aki[0].Items), "4111 1111") || !strings.Contains(string(aki[0].Items), "**** **** **** 1111") {
		t.Fatalf("card number not masked in training items: %s", aki[0].Items)
	}
	if _, err := s.SaveTraining(TrainingSession{Trainee: "x"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("session without scenario: %v", err)
	}
	if all, _ := s.ListTraining("", 2); len(all) != 2 {
		t.Fatalf("limit 2 gave %d", len(all))
	}
}

func TestCreateWithEventsDerivesStatusUnlessGiven(t *testing.T) {
	s, _ := openTemp(t)
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	events := []Entry{{At: at, Role: RoleSystem, Event: EventEscalated, Meta: &Meta{Reason: "complaint"}}}
	derived, err := s.CreateConversation(Conversation{ID: "derived", Lang: "en", StartedAt: at, Entries: events})
	if err != nil || derived.Status != StatusEscalated {
		t.Fatalf("no status given: %q, %v", derived.Status, err)
	}
	given, err := s.CreateConversation(Conversation{ID: "given", Lang: "en", StartedAt: at, Status: StatusAbandoned, Entries: events})
	if err != nil || given.Status != StatusAbandoned {
		t.Fatalf("status given: %q, %v", given.Status, err)
	}
	page, _ := s.List(Filter{Status: StatusEscalated}, "", 10)
	if len(page.Items) != 1 || page.Items[0].ID != "derived" {
		t.Fatalf("list by derived status: %+v", page.Items)
	}
}
