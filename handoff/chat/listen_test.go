package chat

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/transcripts"
)

// Esc at "who should answer?" goes back to the bot: nobody is queued, the
// bot answers what was written meanwhile, and a later request for a person
// asks again. The stored conversation says so, and resumes with the bot.
func TestCancelChoiceGoesBackToTheBot(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			r := newRig(t)
			r.cfg.Lang = lang
			c := New(r.cfg, Contact{SignedIn: true, Order: demoOrder()})
			c.StartChat()
			c.AskForPerson("A person, please.")
			if !c.State().Choosing {
				t.Fatal("not asked who should answer")
			}
			question := map[string]string{"en": "where is my order?", "ja": "注文した商品はどこですか"}[lang]
			c.Send(question)
			res := c.CancelChoice()
			st := c.State()
			if st.Choosing || st.Escalated || st.Queued || st.Packet != nil {
				t.Fatalf("still handed over: %+v", st)
			}
			if !has(res, KindBot) {
				t.Fatalf("the bot did not answer what was written at the choice: %v", kinds(res))
			}
			if res := c.CancelChoice(); !res.Empty() {
				t.Fatalf("a second cancel did something: %v", kinds(res))
			}
			conv := r.load(c.ID())
			back := false
			for _, e := range conv.Entries {
				back = back || (e.Event == transcripts.EventOperatorChoice && e.Meta != nil && e.Meta.Reason == ChoiceBackToBot)
			}
			if !back || conv.Status != transcripts.StatusOpen {
				t.Fatalf("stored status %s, back to the bot recorded: %v", conv.Status, back)
			}
			c.AskForPerson("A person, please.")
			if !c.State().Choosing {
				t.Fatal("asking for a person again does not ask who should answer")
			}
			c.CancelChoice()
			c.Abandon()
			rc, _, _, err := Resume(r.cfg, c.ID())
			if err != nil {
				t.Fatal(err)
			}
			if st := rc.State(); st.Escalated || st.Queued {
				t.Fatalf("the resumed conversation went back to the operators: %+v", st)
			}
		})
	}
}

// A problem raised with the operator joins the case at once, and is settled
// before the offer to close.
func TestIssuesRaisedWithTheOperatorJoinTheCase(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			r := newRig(t)
			r.cfg.Lang = lang
			cat, tp := topic(t, "delivery", "not_arrived")
			c := New(r.cfg, Contact{SignedIn: true, Order: demoOrder(), Category: cat, Topic: tp})
			c.StartChat()
			c.AskForPerson(map[string]string{"en": "A person, please.", "ja": "担当者と話したいです"}[lang])
			c.Choose(false)
			tick := func(d time.Duration) { r.clock.Advance(d) }
			c.Settle(15*time.Minute, time.Second, tick)
			res := c.Send(map[string]string{"en": "Also my card was charged twice", "ja": "あと、カードが二重に請求されています"}[lang])
			var caseIssues []Issue
			for _, ev := range res.Events {
				if ev.Kind == KindCase {
					caseIssues = ev.Issues
				}
			}
			if !slices.ContainsFunc(caseIssues, func(is Issue) bool { return is.Intent == "payment_issue" && is.Status == IssueOpen }) {
				t.Fatalf("the case after the message: %+v", caseIssues)
			}
			res = c.Settle(15*time.Minute, time.Second, tick)
			if !has(res, KindOfferClose) {
				t.Fatalf("no offer to close: %v", kinds(res))
			}
			for _, is := range c.State().Issues {
				if is.Status == IssueOpen {
					t.Fatalf("offered to close with %s open: %+v", is.Intent, c.State().Issues)
				}
			}
		})
	}
}

// spyDesk passes everything to a real desk and checks the operators' side
// of the done-when figures as it goes.
type spyDesk struct {
	*handoff.Desk
	owed    bool // a customer message has had no operator message since
	asked   map[string]bool
	figures *figures
}

type figures struct {
	chats, reachedOperator, operatorTexts, offers, transfers, issuesRaised int
	reasked, offersOverUnanswered, badTexts                                int
	examples                                                               []string
}

var (
	unfilled    = regexp.MustCompile(`[{}]`)
	conditional = map[string]*regexp.Regexp{
		"en": regexp.MustCompile(`(?i)\b(if|unless|whether|otherwise)\b`),
		"ja": regexp.MustCompile(`なら|れば|場合|かどうか`),
	}
)

func (s *spyDesk) note(format string, a ...any) {
	if len(s.figures.examples) < 10 {
		s.figures.examples = append(s.figures.examples, fmt.Sprintf(format, a...))
	}
}

func (s *spyDesk) watch(evs []handoff.Event) []handoff.Event {
	p := s.Desk.Packet()
	for _, ev := range evs {
		switch ev.Kind {
		case handoff.EventJoined:
			if !ev.Handover && !ev.Back {
				s.figures.reachedOperator++
			}
		case handoff.EventLeft:
			s.figures.transfers++
		case handoff.EventMessage:
			st := ev.Step
			s.figures.operatorTexts++
			if unfilled.MatchString(st.Text) || conditional[p.Lang].MatchString(st.Text) {
				s.figures.badTexts++
				s.note("template: %q", st.Text)
			}
			switch st.Kind {
			case handoff.StepAsk:
				if s.asked[st.Fact] || p.Facts.Has(st.Fact) {
					s.figures.reasked++
					s.note("asked for %s again: %q", st.Fact, st.Text)
				}
				s.asked[st.Fact] = true
			case handoff.StepIssue:
				s.figures.issuesRaised++
			}
			if st.Kind == handoff.StepOfferClose {
				s.figures.offers++
				if s.owed {
					s.figures.offersOverUnanswered++
					s.note("offer to close over an unanswered message: %v", p.Transcript[max(0, len(p.Transcript)-4):])
				}
			} else {
				s.owed = false
			}
		}
	}
	return evs
}

func (s *spyDesk) Enqueue(now time.Time, p *handoff.Packet, class handoff.Class, nativeOnly bool) ([]handoff.Event, error) {
	// What the customer wrote after the bot's last word waits for an answer.
	for _, l := range p.Transcript {
		switch l.Speaker {
		case handoff.SpeakerCustomer:
			s.owed = true
		case handoff.SpeakerBot:
			s.owed = false
		}
	}
	evs, err := s.Desk.Enqueue(now, p, class, nativeOnly)
	return s.watch(evs), err
}

func (s *spyDesk) Advance(now time.Time) []handoff.Event { return s.watch(s.Desk.Advance(now)) }

func (s *spyDesk) CustomerMessage(now time.Time, text string) []handoff.Event {
	evs := s.watch(s.Desk.CustomerMessage(now, text))
	s.owed = true
	return evs
}

func (s *spyDesk) Close(now time.Time) []handoff.Event { return s.watch(s.Desk.Close(now)) }

// What simulated customers write: new problems, questions, thanks, "that
// didn't help", anger, facts, chit-chat, long rambling lines, requests for a
// person and lines that are no language at all.
var customerLines = map[string][]string{
	"en": {
		"Also my card was charged twice", "How long will the refund take?", "When will it arrive?",
		"thanks, that's all", "thank you", "That didn't help", "that doesn't solve anything",
		"This is ridiculous, I want my money back", "Are you even reading what I write?",
		"It's order 250-2345678-2345678", "my email is yumi@example.com", "I want a refund instead",
		"I'd like to return the kettle", "I can't log in to my account", "the box was crushed and the lid is cracked",
		"ok", "yes", "what do you mean?", "what's the weather like tomorrow?", "I need it by Friday, it's a present",
		"I want to talk to a person", "Can I cancel my membership?", "how do I get an invoice for this?",
		"I'm sort of lost with this whole thing, to be honest, my sister ordered it for me and now nobody knows where it went or who should be asked",
		"??", "250-1234567-1234567", "Please send a new one", "Why was I charged 500 yen?",
	},
	"ja": {
		"あと、カードが二重に請求されています", "返金はいつ戻りますか", "いつ届きますか",
		"ありがとうございました", "助かりました", "それでは解決しませんでした", "まだ解決していません",
		"ふざけないでください、お金を返してください", "ちゃんと読んでいますか？",
		"注文番号は250-2345678-2345678です", "メールはyumi@example.comです", "代わりに返金してほしいです",
		"ケトルを返品したいです", "アカウントにログインできません", "箱がつぶれていて、ふたが割れていました",
		"はい", "そうです", "どういう意味ですか", "明日の天気はどうですか", "金曜日までに必要です",
		"担当者と話したいです", "会員を解約できますか", "領収書はどうやってもらえますか",
		"ちょっと聞きたいんですけど、前に妹が頼んでくれたやつなんですけど、なんかどこに行ったのか誰に聞けばいいのかよくわからなくて…",
		"？？", "250-1234567-1234567", "新しいものを送ってください", "なぜ500円請求されたのですか",
	},
}

// simulateChat plays one customer with a random contact, random lines,
// random waits and the desk's faults, through the conversation engine.
func simulateChat(seed uint64, pool *handoff.Pool, prof *profile.Profile, f *figures) {
	rng := rand.New(rand.NewPCG(seed, 0x11e7))
	lang := []string{"en", "ja"}[seed%2]
	b := realBot()
	loc := time.FixedZone("JST", 9*3600)
	clock := handoff.NewVirtualClock(time.Date(2026, 11, 23+rng.IntN(7), rng.IntN(24), rng.IntN(60), 0, 0, loc))
	spy := &spyDesk{asked: map[string]bool{}, figures: f}
	cfg := Config{Lang: lang, Profile: prof, Clock: clock, Bot: b, Seed: seed,
		NewDesk: func(string) (Desk, error) {
			d, err := handoff.NewDesk(handoff.DeskConfig{Pool: pool, Knowledge: b.Knowledge(), Start: clock.Now(), Seed: seed,
				Warmup: 30 * time.Minute, Faults: &handoff.Faults{LineFault: 0.1, Timeout: 0.05}})
			spy.Desk = d
			return spy, err
		}}
	ct := Contact{SignedIn: rng.IntN(5) > 0}
	if ct.SignedIn && rng.IntN(4) > 0 {
		o := prof.Orders[rng.IntN(len(prof.Orders))]
		ct.Order = &o
	}
	var cats []Category
	for _, c := range b.Menu(lang) {
		if (ct.SignedIn || !c.NeedsAccount) && (ct.Order != nil || !c.NeedsOrder) {
			cats = append(cats, c)
		}
	}
	if len(cats) > 0 && rng.IntN(5) > 0 {
		ct.Category = cats[rng.IntN(len(cats))]
		ct.Topic = ct.Category.Topics[rng.IntN(len(ct.Category.Topics))]
	}
	c := New(cfg, ct)
	c.StartChat()
	tick := func(d time.Duration) { clock.Advance(d) }
	lines := customerLines[lang]
	say := func() string { return lines[rng.IntN(len(lines))] }
	for range rng.IntN(3) {
		c.Send(say())
	}
	if !c.State().Escalated {
		c.AskForPerson(map[string]string{"en": "A person, please.", "ja": "担当者と話したいです"}[lang])
	}
	f.chats++
	for range 3 + rng.IntN(8) {
		st := c.State()
		switch {
		case st.Closed:
			return
		case st.Choosing:
			if rng.IntN(3) == 0 {
				c.Send(say())
			}
			c.Choose(rng.IntN(4) == 0)
		case rng.IntN(6) == 0:
			c.Pass(time.Duration(1+rng.IntN(600))*time.Second, 5*time.Second, tick)
		default:
			c.Send(say())
		}
		c.Settle(15*time.Minute, 5*time.Second, tick)
	}
	if !c.State().Closed {
		c.Close(0, 0)
	}
}

// TestThousandSimulatedChats: over 1,000 seeded chats with random customer
// lines and operator faults, through the conversation engine and the desk:
// no fact asked for twice or while the packet held it, no offer to close
// over an unanswered customer message, no operator text with a placeholder
// left or a condition read out.
func TestThousandSimulatedChats(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 200
	}
	var f figures
	pool, prof := handoff.DefaultPool(), profile.Demo()
	for seed := range uint64(n) {
		simulateChat(seed, pool, prof, &f)
	}
	t.Logf("%d chats, %d reached an operator, %d operator messages, %d offers to close, %d transfers, %d issues raised with an operator",
		f.chats, f.reachedOperator, f.operatorTexts, f.offers, f.transfers, f.issuesRaised)
	if f.reasked != 0 || f.offersOverUnanswered != 0 || f.badTexts != 0 {
		t.Fatalf("%d facts asked again, %d offers to close over an unanswered message, %d template texts unfilled or conditional: %s",
			f.reasked, f.offersOverUnanswered, f.badTexts, strings.Join(f.examples, "\n"))
	}
	if f.reachedOperator < n*8/10 || f.offers < n/2 || f.transfers == 0 || f.issuesRaised == 0 {
		t.Fatalf("the simulation no longer covers the desk: %+v", f)
	}
}
