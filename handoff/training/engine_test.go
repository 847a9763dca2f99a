package training

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"tsunagu/bot"
	"tsunagu/handoff"
	"tsunagu/transcripts"
)

func TestMatchCue(t *testing.T) {
	cases := []struct {
		line    string
		phrases []string
		want    bool
	}{
		{"I'm SORRY about that", []string{"sorry"}, true},
		{"Shipping is free", []string{"pin"}, false}, // word boundary for Latin cues
		{"your PIN please", []string{"pin"}, true},   // case folded
		{"ご不便をおかけして", []string{"ご不便"}, true},         // Japanese matches anywhere
		{"ｶｰﾄﾞ番号を教えて", []string{"カード番号"}, true},      // half-width katakana folds
		{"カード番号", []string{"かーど番号"}, true},           // katakana and hiragana fold together
		{"I can't help", []string{"can't"}, true},    // cue normalised like the line
		{"refunded", []string{"refund"}, true},       // prefix of a word matches
		{"", []string{"x"}, false},
		{"anything", []string{"", "  "}, false},
	}
	for _, tc := range cases {
		if got := MatchCue(tc.line, tc.phrases); got != tc.want {
			t.Errorf("MatchCue(%q, %q) = %v, want %v", tc.line, tc.phrases, got, tc.want)
		}
	}
}

func FuzzMatchCue(f *testing.F) {
	f.Add("I'm sorry about that", "sorry")
	f.Add("ご不便をおかけして申し訳ございません", "申し訳")
	f.Add("\xff\xfe", "\x00")
	f.Add("shipping", "pin")
	f.Fuzz(func(t *testing.T, line, phrase string) {
		got := MatchCue(line, []string{phrase})
		if n := bot.Normalize(phrase); n == "" && got {
			t.Fatalf("an empty cue matched %q", line)
		}
		// A line always contains its own normalised self.
		if bot.Normalize(line) != "" && !MatchCue(line, []string{line}) {
			t.Fatalf("%q does not match itself", line)
		}
	})
}

func FuzzRead(f *testing.F) {
	f.Add("What is your order number?", "en")
	f.Add("カード番号を教えてください。4111 1111 1111 1111", "ja")
	f.Add("Please never share your password.", "en")
	f.Add("\u202eevil\x1b[31m", "ja")
	sc := Builtins()[0]
	p := handoff.NewPacket(testStart, "c", bot.ReasonComplaint, "en",
		handoff.Facts{Order: &handoff.Order{ID: "250-1234567-1234567", Items: []string{"Earbuds"}}}, nil, nil, nil)
	f.Fuzz(func(t *testing.T, line, lang string) {
		sig := Read(line, lang, p, sc)
		if sig.Card == "" && transcripts.MaskCards(line) != line {
			t.Fatalf("a card number in %q was not flagged", line)
		}
		for _, f := range sig.AskedKnown {
			if f != FactProblem && !p.Facts.Has(f) {
				t.Fatalf("fact %s reported as known but the packet lacks it", f)
			}
		}
	})
}

func TestReadSignals(t *testing.T) {
	p := handoff.NewPacket(testStart, "c", bot.ReasonHumanRequested, "en",
		handoff.Facts{Order: &handoff.Order{ID: "250-1234567-1234567", Items: []string{"Earbuds"}}}, nil,
		[]handoff.Line{{Speaker: handoff.SpeakerCustomer, Text: "call me on 090-1234-5678"}}, nil)
	cases := []struct {
		line, lang string
		check      func(Signals) bool
	}{
		{"What is your order number?", "en", func(s Signals) bool { return len(s.AskedKnown) == 1 && s.AskedKnown[0] == handoff.FactOrderID }},
		{"Your order 250-1234567-1234567 number is confirmed?", "en", func(s Signals) bool { return len(s.AskedKnown) == 0 }},
		{"Could you give me your email address?", "en", func(s Signals) bool { return len(s.AskedMissing) == 1 && s.AskedMissing[0] == handoff.FactEmail }},
		{"電話番号を教えてください。", "ja", func(s Signals) bool { return len(s.AskedKnown) == 1 && s.AskedKnown[0] == handoff.FactPhone }},
		{"How can I help you today.", "en", func(s Signals) bool { return len(s.AskedKnown) == 1 && s.AskedKnown[0] == FactProblem }},
		{"ご用件は承知しております。", "ja", func(s Signals) bool { return len(s.AskedKnown) == 0 }},
		{"どのようなご用件でしょうか。", "ja", func(s Signals) bool { return len(s.AskedKnown) == 1 && s.AskedKnown[0] == FactProblem }},
		{"Please never share your password with anyone.", "en", func(s Signals) bool { return s.Card == "" }},
		{"Please tell me your password.", "en", func(s Signals) bool { return s.Card != "" }},
		{"The card 4111 1111 1111 1111 was charged.", "en", func(s Signals) bool { return s.Card != "" }},
		{"I can't do that.", "en", func(s Signals) bool { return s.Banned != "" }},
		{"I can't do that, but I can send a replacement.", "en", func(s Signals) bool { return s.Banned == "" }},
		{"返品はできません。", "ja", func(s Signals) bool { return s.Banned != "" }},
		{"返品はできませんが、交換ならご案内できます。", "ja", func(s Signals) bool { return s.Banned == "" }},
		{"ご不便をおかけして申し訳ございません。", "ja", func(s Signals) bool { return s.Apology != "" || s.Empathy != "" }},
		{"I've taken over from our assistant.", "en", func(s Signals) bool { return s.Acknowledge != "" }},
		{"Please bear with me while I check.", "en", func(s Signals) bool { return s.Complex != "" }},
		{"I will check the order. Then I will call you tomorrow at nine.", "en", func(s Signals) bool { return s.Complex == "" }},
		{"I have looked at the tracking information for your order and I can see that it left our warehouse on Monday but has not been scanned since then.", "en", func(s Signals) bool { return s.Complex == "a 28-word sentence" }},
		{"明日の9時にお電話します。", "ja", func(s Signals) bool { return s.Complex == "" }},
		// Negation is scoped to its clause; a fragment asks only in a question.
		{"Don't worry. What's your order number?", "en", func(s Signals) bool { return len(s.AskedKnown) == 1 && s.Asked == "What's your order number" }},
		{"You won't need your card number; what's your order number?", "en", func(s Signals) bool { return s.Card == "" && len(s.AskedKnown) == 1 }},
		{"I'll call you by phone.", "en", func(s Signals) bool { return len(s.AskedKnown) == 0 }},
		{"You're being ridiculous, stop whining.", "en", func(s Signals) bool { return s.Insult && s.Banned != "" }},
		{"Calm down. That's not my problem…", "en", func(s Signals) bool { return s.Insult }},
		{"お客様の確認不足ですよね。", "ja", func(s Signals) bool { return s.Insult }},
		{"I read your chat.", "en", func(s Signals) bool { return s.Acknowledge != "" }},
		{"read your conversation sorry frustrating tracking trace within two days", "en", func(s Signals) bool { return s.CueList != "" && s.Apology == "" }},
		{"ご確認させていただきますので、少々お待ちくださいませ。", "ja", func(s Signals) bool { return s.Complex != "" }},
	}
	for _, tc := range cases {
		if sig := Read(tc.line, tc.lang, p, builtin(t, "parcel-not-arrived")); !tc.check(sig) {
			t.Errorf("Read(%q) = %+v", tc.line, sig)
		}
	}
}

// TestDeterministicForASeed: the same scenario, seed and script give the same
// chat, the same times and the same scorecard; another seed may pick other
// customer lines but scores the same behaviour the same.
func TestDeterministicForASeed(t *testing.T) {
	script := transcriptCases[0].good
	run := func(seed uint64) ([]Line, Scorecard) {
		s := newTestSession(t, "parcel-not-arrived", "en", seed)
		play(t, s, script)
		return s.Lines(), s.Scorecard()
	}
	l1, c1 := run(42)
	l2, c2 := run(42)
	if !reflect.DeepEqual(l1, l2) || !reflect.DeepEqual(c1, c2) {
		t.Fatal("two runs with seed 42 differ")
	}
	_, c3 := run(43)
	if c3.Total != c1.Total {
		t.Errorf("the score depends on the seed: %.1f vs %.1f", c1.Total, c3.Total)
	}
}

func TestSilenceMakesTheCustomerImpatientThenLeave(t *testing.T) {
	s := newTestSession(t, "parcel-not-arrived", "en", 1)
	if l := s.Wait(30 * time.Second); l != nil {
		t.Fatalf("customer spoke after 30s: %q", l.Text)
	}
	l := s.Wait(70 * time.Second)
	if l == nil || !strings.Contains(l.Text, "still there") {
		t.Fatalf("want an impatient line after 100s, got %+v", l)
	}
	mood := s.Mood()
	l = s.Wait(3 * time.Minute)
	if l == nil || s.Outcome() != OutcomeLeft || s.Phase() != PhaseEnded {
		t.Fatalf("want the customer to leave, got %+v, outcome %q", l, s.Outcome())
	}
	if mood >= builtin(t, "parcel-not-arrived").startMood() {
		t.Errorf("silence did not lower the mood: %d", mood)
	}
	if _, err := s.Reply("Sorry!"); err != ErrEnded {
		t.Errorf("reply after the customer left: %v", err)
	}
	c := s.Scorecard()
	if fr, _ := c.Item(ItemFirstResponse); fr.Score != 0 {
		t.Errorf("first response scored %.1f with no reply", fr.Score)
	}
	if ht, _ := c.Item(ItemHandleTime); ht.Score != 0 {
		t.Errorf("handle time scored %.1f after the customer left", ht.Score)
	}
}

func TestCallbackRefusesABadNumber(t *testing.T) {
	s := newTestSession(t, "callback-after-hours", "ja", 1)
	if _, err := s.BookCallback("12"); err == nil {
		t.Fatal("booked a callback to 12")
	}
	if _, ok := s.Booking(); ok {
		t.Fatal("a refused booking was kept")
	}
	off := s.CallbackOffer()
	if off.Open || off.NextOpening.Hour() != 9 {
		t.Errorf("at 19:30 the offer should be the 09:00 opening: %+v", off)
	}
	if _, err := s.BookCallback(""); err != nil {
		t.Fatalf("booking to the packet's phone: %v", err)
	}
	b, _ := s.Booking()
	if !b.Slot || b.Phone != "+819012345678" {
		t.Errorf("booking %+v", b)
	}
}

func TestWrongTransferLosesRouting(t *testing.T) {
	s := newTestSession(t, "hijacked-account", "en", 1)
	s.Reply("I've read your conversation with our assistant; I'm sorry.")
	if _, err := s.Transfer(TeamBilling); err != nil {
		t.Fatal(err)
	}
	c := s.Scorecard()
	sens, _ := c.Item(ItemSensitiveCase)
	rt, _ := c.Item(ItemRouting)
	if !sens.Failed || rt.Score != 0 || c.Total != 0 {
		t.Errorf("sensitive case to billing: sensitive %+v routing %+v total %.1f", sens, rt, c.Total)
	}
}

func TestDrillScoresAgainstTheRealBot(t *testing.T) {
	newBot := func(id string) Bot { return realEngine().NewConversation(id, bot.Facts{Lang: "en", SignedIn: true}) }
	d := NewDrill(DrillItems(), "en", 3, newBot)
	if d.Len() != len(DrillItems()) {
		t.Fatalf("drill has %d questions", d.Len())
	}
	// Answer every question as the bot would: full marks.
	actions := map[bot.Action]int{}
	for {
		q, ok := d.Current()
		if !ok {
			break
		}
		// A multi-turn item is decided with the conversation so far.
		conv := realEngine().NewConversation("check", bot.Facts{Lang: "en", SignedIn: true})
		for _, b := range q.Before {
			conv.Respond(b.Customer)
		}
		want := conv.Respond(q.Text)
		actions[want.Action]++
		r, err := d.Answer(want.Action, want.Reason)
		if err != nil {
			t.Fatal(err)
		}
		if r.Points != r.MaxPoints || r.Explanation == "" {
			t.Errorf("%s: right answer scored %d/%d (%s)", q.ID, r.Points, r.MaxPoints, r.Explanation)
		}
	}
	if len(actions) != 3 {
		t.Errorf("the drill should need all three actions; the bot gave %v", actions)
	}
	p, m := d.Score()
	if p != m {
		t.Errorf("score %d/%d", p, m)
	}
	// Answer everything "answer": only the real answers score.
	d2 := NewDrill(DrillItems(), "en", 3, newBot)
	for {
		if _, ok := d2.Current(); !ok {
			break
		}
		d2.Answer(bot.ActionAnswer, "")
	}
	p2, m2 := d2.Score()
	if p2 != actions[bot.ActionAnswer] || m2 != m {
		t.Errorf("always-answer scored %d/%d, want %d/%d", p2, m2, actions[bot.ActionAnswer], m)
	}
	if _, err := d2.Answer(bot.ActionAnswer, ""); err == nil {
		t.Error("answer after the end accepted")
	}
	if _, err := NewDrill(DrillItems(), "en", 3, newBot).Answer(bot.ActionEscalate, "because"); err == nil {
		t.Error("an escalation with an unknown reason was accepted")
	}
}

func TestFromConversationReplaysThroughTheBot(t *testing.T) {
	conv := realEngine().NewConversation("c1", bot.Facts{Lang: "ja", SignedIn: true})
	at := testStart
	c := transcripts.Conversation{ID: "c-2026-0001", StartedAt: at, Lang: "ja", Customer: transcripts.Customer{Name: "佐藤"},
		OrderID: "250-1234567-1234567", Topic: "delivery/not_arrived"}
	for _, text := range []string{"荷物が届きません。", "担当者と話したいです。"} {
		d := conv.Respond(text)
		c.Entries = append(c.Entries, transcripts.Entry{At: at, Role: transcripts.RoleCustomer, Text: text},
			transcripts.Entry{At: at, Role: transcripts.RoleBot, Text: d.Reply, Meta: &transcripts.Meta{Intent: d.Intent, Action: string(d.Action), Reason: string(d.Reason)}})
		if d.Action == bot.ActionEscalate {
			c.Entries = append(c.Entries, transcripts.Entry{At: at, Role: transcripts.RoleSystem, Event: transcripts.EventEscalated, Meta: &transcripts.Meta{Reason: string(d.Reason)}})
			break
		}
	}
	c.Entries = append(c.Entries, transcripts.Entry{At: at, Role: transcripts.RoleOperator, Text: "担当の田中です。"})
	data, err := FromConversation(c)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Load("replay.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if sc.ID != "replay-c-2026-0001" || !sc.Plays("ja") || sc.Plays("en") || sc.Order == nil {
		t.Errorf("scenario %+v", sc)
	}
	s, err := NewSession(Config{Scenario: sc, Lang: "ja", Seed: 1, Paused: true, Start: testStart,
		Bot: realEngine().NewConversation("r", sc.BotFacts("ja"))})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatalf("the replayed opening does not reach a person: %v", err)
	}
	if _, err := FromConversation(transcripts.Conversation{ID: "x", Lang: "en"}); err == nil {
		t.Error("a conversation with no customer message made a scenario")
	}
}

// TestMarkdownCannotBreakOut covers reliability case D33 for scorecard export.
func TestMarkdownCannotBreakOut(t *testing.T) {
	s := newTestSession(t, "parcel-not-arrived", "en", 1)
	evil := "# Heading\n```\n<script>alert(1)</script> [x](javascript:alert(1)) | cell \x1b[31mred"
	s.Reply(evil)
	s.Close()
	md := s.Scorecard().Markdown()
	for _, bad := range []string{"\n# Heading", "```", "<script>", "](javascript:", "\x1b"} {
		if strings.Contains(md, bad) {
			t.Errorf("markdown contains %q:\n%s", bad, md)
		}
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "|") && strings.Count(line, "|")-strings.Count(line, `\|`) != 5 {
			t.Errorf("table row has extra cells: %s", line)
		}
	}
}

func TestProgressInTheStore(t *testing.T) {
	st, err := transcripts.Open(filepath.Join(t.TempDir(), "t.db"), transcripts.Options{Now: func() time.Time { return testStart }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for k, tc := range transcriptCases[:2] {
		for _, script := range [][]act{tc.poor, tc.good} {
			s := newTestSession(t, tc.id, tc.lang, uint64(k))
			play(t, s, script)
			rec, err := s.Scorecard().Record()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.SaveTraining(rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	sessions, err := st.ListTraining("tester", 0)
	if err != nil {
		t.Fatal(err)
	}
	ps := Summarise(sessions)
	if len(ps) != 1 || ps[0].Sessions != 4 || len(ps[0].Scenarios) != 1 {
		b, _ := json.Marshal(ps)
		t.Fatalf("progress %s", b)
	}
	sp := ps[0].Scenarios[0]
	if sp.Best != 100 || sp.Sessions != 4 || sp.Last != 100 {
		t.Errorf("scenario progress %+v", sp)
	}
	for _, ip := range ps[0].Items {
		if ip.Item == ItemReaskFact && ip.Failed != 2 {
			t.Errorf("re-ask failed %d times, want 2", ip.Failed)
		}
	}
}

// TestNonNativeCustomerNeedsPlainWords: an idiom-laden, long reply loses a
// customer writing in their second language; they ask for simpler words and
// the empathy item (what this persona needs) drops, quoting the line.
func TestNonNativeCustomerNeedsPlainWords(t *testing.T) {
	s := newTestSession(t, "callback-after-hours", "en", 1)
	hard := "Please bear with me: I have read your chat with our assistant and I will touch base with the phone team, who will get back to you at your earliest convenience tomorrow."
	turn, err := s.Reply(hard)
	if err != nil {
		t.Fatal(err)
	}
	if turn.Customer == nil || !strings.Contains(turn.Customer.Text, "More simple") {
		t.Fatalf("non-native customer did not ask for simpler words: %+v", turn.Customer)
	}
	emp, _ := s.Scorecard().Item(ItemEmpathy)
	if emp.Score != 0.5 || emp.Quote != hard {
		t.Errorf("empathy %+v", emp)
	}
	// The same line to a native-speaking customer is not a plain-language issue.
	p := newTestSession(t, "parcel-not-arrived", "en", 1)
	turn, _ = p.Reply(hard)
	if turn.Customer != nil && strings.Contains(turn.Customer.Text, "More simple") {
		t.Error("a native speaker asked for simpler words")
	}
}

// TestDrillMultiTurnItems: the multi-turn items carry the conversation so
// far (which the bot answers or clarifies, never escalates) and are decided
// with it: unresolved after an answer that did not help, no_progress after
// two clarifications, in both languages.
func TestDrillMultiTurnItems(t *testing.T) {
	cases := []struct {
		id, lang string
		before   []bot.Action
		reason   bot.Reason
	}{
		{"answer-did-not-help", "en", []bot.Action{bot.ActionAnswer}, bot.ReasonUnresolved},
		{"answer-did-not-help", "ja", []bot.Action{bot.ActionAnswer}, bot.ReasonUnresolved},
		{"password-answer-did-not-help", "en", []bot.Action{bot.ActionAnswer}, bot.ReasonUnresolved},
		{"password-answer-did-not-help", "ja", []bot.Action{bot.ActionAnswer}, bot.ReasonUnresolved},
		{"still-unclear", "en", []bot.Action{bot.ActionClarify, bot.ActionClarify}, bot.ReasonNoProgress},
		{"still-unclear", "ja", []bot.Action{bot.ActionClarify, bot.ActionClarify}, bot.ReasonNoProgress},
	}
	for _, c := range cases {
		t.Run(c.id+" "+c.lang, func(t *testing.T) {
			var item []DrillItem
			for _, it := range DrillItems() {
				if it.ID == c.id {
					item = append(item, it)
				}
			}
			if len(item) != 1 {
				t.Fatalf("%d drill items called %s", len(item), c.id)
			}
			newBot := func(id string) Bot { return realEngine().NewConversation(id, bot.Facts{Lang: c.lang, SignedIn: true}) }
			d := NewDrill(item, c.lang, 1, newBot)
			q, ok := d.Current()
			if !ok {
				t.Fatal("no question")
			}
			var got []bot.Action
			for _, b := range q.Before {
				if b.Customer == "" || b.Bot == "" {
					t.Errorf("an empty turn in the history: %+v", b)
				}
				got = append(got, b.Action)
			}
			if !slices.Equal(got, c.before) {
				t.Errorf("the bot did %v with the earlier messages, want %v", got, c.before)
			}
			// The last message alone is not enough: the history decides.
			if alone := newBot("alone").Respond(q.Text); alone.Reason == c.reason {
				t.Errorf("the last message alone already escalates as %s", c.reason)
			}
			wrong, _ := NewDrill(item, c.lang, 1, newBot).Answer(bot.ActionEscalate, bot.ReasonComplaint)
			r, err := d.Answer(bot.ActionEscalate, c.reason)
			if err != nil {
				t.Fatal(err)
			}
			if r.ExpectedAction != bot.ActionEscalate || r.ExpectedReason != c.reason || r.Points != 2 {
				t.Errorf("expected %s %s, scored %d/%d", r.ExpectedAction, r.ExpectedReason, r.Points, r.MaxPoints)
			}
			if wrong.Points != 1 || wrong.ReasonRight {
				t.Errorf("escalate for the wrong reason scored %d/%d", wrong.Points, wrong.MaxPoints)
			}
		})
	}
}
