package handoff

import (
	"slices"
	"strings"
	"testing"
)

func TestBasicLevelKeepsStepsShort(t *testing.T) {
	tests := []struct{ in, want string }{
		{"まず、返金を承認いたします（返送が必要なら返送ラベルを発行）。次に連絡します。", "まず、返金を承認いたします。"},
		{"First, I'll approve the refund (and send a label). Then more.", "First, I'll approve the refund."},
		{"No notes here.", "No notes here."},
		{"Unclosed （note", "Unclosed （note"},
	}
	for _, tt := range tests {
		if got := withoutNotes(firstSentence(tt.in)); got != tt.want {
			t.Errorf("%q -> %q, want %q", tt.in, got, tt.want)
		}
	}
}

// readerKB is the default rules' knowledge with a stand-in for the bot's
// classifier: the clauses it knows, and the triggers of whole messages.
// (The real classifier is exercised through handoff/chat and the CLI.)
type readerKB struct {
	Knowledge
	intents  map[string]string
	triggers map[string][]string
}

func (k readerKB) ReadClause(text, _ string, _ []string) (string, bool) {
	in, ok := k.intents[strings.ToLower(text)]
	return in, ok
}

func (k readerKB) Triggers(text, _ string) []string { return k.triggers[text] }

func testReader() readerKB {
	return readerKB{Knowledge: defaultRulesKnowledge(),
		intents: map[string]string{
			"also my card was charged twice":    "payment_issue",
			"my card was charged twice":         "payment_issue",
			"how long will the refund take":     "get_refund",
			"how long does delivery take":       "delivery_options",
			"あと、カードが二重に請求されています":                "payment_issue",
			"カードが二重に請求されています":                   "payment_issue",
			"返金はいつ戻りますか":                        "get_refund",
			"i want a refund":                   "get_refund",
			"when will you fix it":              "product_problem",
			"the handle came off":               "product_problem",
			"i want my money back":              "get_refund",
			"this is ridiculous":                "complaint",
			"are you even reading what i write": "",
		},
		triggers: map[string][]string{"This is ridiculous, I want my money back": {"anger"}}}
}

func testOperator(lang string, lv Level) *Operator {
	return &Operator{ID: "smith", Name: "Smith", NameJa: "スミス", Languages: []Language{{lang, lv}}, Skills: []string{"all"}}
}

// issuePacket is a packet about the demo's earbuds order (in transit) with
// the given issues, all open.
func issuePacket(lang string, intents ...string) *Packet {
	p := &Packet{Lang: lang, Facts: Facts{Order: &Order{ID: "250-1234567-1234567", Items: []string{map[bool]string{true: "ワイヤレスイヤホン", false: "Wireless earbuds"}[lang == "ja"]}, Status: "in_transit"}}}
	for _, in := range intents {
		p.RaiseIssue(in, "")
	}
	return p
}

// TestOperatorGreetsWithTheLatestOpenIssues: the greeting (and a
// transfer's) names what the customer wants now, not the menu topic.
func TestOperatorGreetsWithTheLatestOpenIssues(t *testing.T) {
	tests := []struct {
		name, lang string
		level      Level
		issues     []string
		prev       bool
		want       []string // in this order
		not        []string
	}{
		{name: "a refund instead of the parcel", lang: "en", level: LevelNative, issues: []string{"track_order", "get_refund"},
			want: []string{"Hi, I'm Smith.", "You'd now like a refund for the wireless earbuds rather than a redelivery."}, not: []string{"hasn't arrived"}},
		{name: "a refund instead of the parcel, Japanese", lang: "ja", level: LevelNative, issues: []string{"track_order", "get_refund"},
			want: []string{"スミスと申します。", "再配達ではなく、ワイヤレスイヤホンの返金をご希望ですね。"}, not: []string{"届いていない"}},
		{name: "two issues, latest first", lang: "en", level: LevelNative, issues: []string{"get_refund", "payment_issue"},
			want: []string{"There's a problem with a payment for order 250-1234567-1234567.", "I can also see that you'd like a refund for order 250-1234567-1234567."}},
		{name: "a transfer names them too", lang: "en", level: LevelNative, issues: []string{"track_order", "get_refund"}, prev: true,
			want: []string{"taken over from Tanaka.", "You'd now like a refund for the wireless earbuds rather than a redelivery.", "carry on"}},
		{name: "a transfer in Japanese", lang: "ja", level: LevelFluent, issues: []string{"payment_issue"}, prev: true,
			want: []string{"前の担当の田中から引き継ぎました。", "お支払いの問題の件でございますね。", "内容は確認済みですので、続きから対応いたします。"}},
		{name: "basic introduces himself first", lang: "en", level: LevelBasic, issues: []string{"get_refund"},
			want: []string{"Hello, I am Smith.", "You'd like a refund"}, not: []string{"Thank"}},
		{name: "basic Japanese", lang: "ja", level: LevelBasic, issues: []string{"track_order"},
			want: []string{"スミスです。", "ご注文（250-1234567-1234567）の商品がまだ届いていない件ですね。"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := issuePacket(tt.lang, tt.issues...)
			var prev *Operator
			if tt.prev {
				prev = &Operator{ID: "tanaka", Name: "Tanaka", NameJa: "田中"}
			}
			b := newBrain(testOperator(tt.lang, tt.level), p, testReader(), prev, nil)
			st, _ := b.Next(p)
			at := 0
			for _, w := range tt.want {
				i := strings.Index(st.Text[at:], w)
				if i < 0 {
					t.Fatalf("greeting %q lacks %q (in order)", st.Text, w)
				}
				at += i + len(w)
			}
			for _, n := range tt.not {
				if strings.Contains(st.Text, n) {
					t.Fatalf("greeting %q says %q", st.Text, n)
				}
			}
			if problem := badWording(tt.lang, st.Text); problem != "" {
				t.Fatalf("greeting %q: %s", st.Text, problem)
			}
		})
	}
}

// TestOperatorWorksOnTheLatestIssueFirst: after the greeting, the steps are
// about the refund; the parcel it replaced is settled with it.
func TestOperatorWorksOnTheLatestIssueFirst(t *testing.T) {
	p := issuePacket("en", "track_order", "get_refund")
	b := newBrain(testOperator("en", LevelNative), p, testReader(), nil, nil)
	var kinds []StepKind
	for {
		st, ok := b.Next(p)
		if !ok {
			break
		}
		if st.Kind == StepResolve && st.Intent != "get_refund" {
			t.Fatalf("worked on %s: %q", st.Intent, st.Text)
		}
		b.Sent(st, p)
		kinds = append(kinds, st.Kind)
	}
	if !slices.Equal(kinds, []StepKind{StepGreet, StepResolve, StepResolve, StepOfferClose}) {
		t.Fatalf("steps %v", kinds)
	}
	for _, is := range p.Issues {
		if is.Status != IssueResolved {
			t.Fatalf("at the offer to close, %s is %s", is.Intent, is.Status)
		}
	}
}

// TestOperatorHearsEveryMessage: what an operator makes of each kind of
// message, after the greeting.
func TestOperatorHearsEveryMessage(t *testing.T) {
	tests := []struct {
		name     string
		lang     string
		level    Level
		issues   []string
		setup    func(b *operatorBrain, p *Packet)
		awaiting string
		text     string
		coin     bool
		kinds    []StepKind // the replies, in order
		contains string     // in the first reply
		answered bool
		fact     string // the awaited fact's value afterwards
		status   map[string]string
	}{
		{name: "a new issue is acknowledged and worked on", lang: "en", issues: []string{"get_refund"}, text: "Also my card was charged twice",
			kinds: []StepKind{StepIssue}, contains: "problem with a payment", status: map[string]string{"payment_issue": IssueOpen}},
		{name: "a new issue in Japanese", lang: "ja", issues: []string{"get_refund"}, text: "あと、カードが二重に請求されています",
			kinds: []StepKind{StepIssue}, contains: "お支払いの問題の件", status: map[string]string{"payment_issue": IssueOpen}},
		{name: "a question about the issue at hand is answered", lang: "en", issues: []string{"get_refund"}, text: "How long will the refund take?",
			kinds: []StepKind{StepAnswer}, contains: "3-5 business days"},
		{name: "a question in Japanese", lang: "ja", issues: []string{"get_refund"}, text: "返金はいつ戻りますか",
			kinds: []StepKind{StepAnswer}, contains: "3〜5営業日"},
		{name: "a question on a new topic is answered at once", lang: "en", issues: []string{"get_refund"}, text: "How long does delivery take?",
			kinds: []StepKind{StepAnswer}, contains: "2-4 days", status: map[string]string{"delivery_options": IssueOpen}},
		{name: "a question nobody can place gets where things stand", lang: "en", issues: []string{"get_refund"}, text: "What do you mean?",
			kinds: []StepKind{StepAnswer}, contains: "I've read everything"},
		{name: "an asked fact comes from the slots", lang: "en", issues: []string{"get_refund"}, awaiting: FactEmail,
			text: "sure, it's yumi@example.com I think", answered: true, fact: "yumi@example.com"},
		{name: "a message without the slot does not answer it", lang: "en", issues: []string{"get_refund"}, awaiting: FactEmail,
			text: "I don't remember which one I used", kinds: nil, answered: false, fact: ""},
		{name: "a described fact comes from the telling clauses only", lang: "en", issues: []string{"product_problem"}, awaiting: "what_happened",
			text: "The lid cracked. When will you fix it?", kinds: []StepKind{StepAnswer}, answered: true, fact: "The lid cracked"},
		{name: "that didn't help, after a step: something else", lang: "en", issues: []string{"get_refund"},
			setup: func(b *operatorBrain, p *Packet) {
				b.n.last, b.n.said["get_refund"] = "get_refund", 2
				p.settle("get_refund", IssueResolved)
			},
			text: "That didn't help", kinds: []StepKind{StepRetry}, contains: "marked the refund as urgent", status: map[string]string{"get_refund": IssueOpen}},
		{name: "that didn't help, twice: the team lead", lang: "en", issues: []string{"get_refund"},
			setup: func(b *operatorBrain, p *Packet) {
				b.n.last, b.n.said["get_refund"], b.n.retries["get_refund"] = "get_refund", 2, 1
			},
			text: "That didn't help", kinds: []StepKind{StepRetry}, contains: "team lead"},
		{name: "that didn't help, before any step: the bot's answer", lang: "ja", issues: []string{"get_refund"},
			text: "それでは解決しませんでした", kinds: []StepKind{StepSorry}, contains: "アシスタントのご案内でお役に立てず"},
		{name: "anger: an apology first, then where things stand", lang: "en", issues: []string{"get_refund"},
			text: "This is ridiculous, I want my money back", kinds: []StepKind{StepSorry}, contains: "I'm really sorry"},
		{name: "feeling unheard", lang: "en", issues: []string{"get_refund"}, text: "Are you even reading what I write?",
			kinds: []StepKind{StepSorry}, contains: "I've read everything you wrote"},
		{name: "thanks after the offer: goodbye", lang: "en", issues: []string{"get_refund"},
			setup: func(b *operatorBrain, p *Packet) { p.settle("get_refund", IssueResolved); b.offered = true },
			text:  "thanks, that's all", kinds: []StepKind{StepBye}},
		{name: "thanks with work left: the work answers it", lang: "en", issues: []string{"get_refund"}, text: "thank you", kinds: nil},
		{name: "thanks with nothing left", lang: "ja", issues: []string{"get_refund"},
			setup: func(b *operatorBrain, p *Packet) { p.settle("get_refund", IssueResolved) },
			text:  "ありがとうございます", kinds: []StepKind{StepAck}, contains: "恐れ入ります"},
		{name: "something said with nothing left is acknowledged", lang: "en", issues: []string{"get_refund"},
			setup: func(b *operatorBrain, p *Packet) { p.settle("get_refund", IssueResolved) },
			text:  "it was a present for my sister", kinds: []StepKind{StepAck}, contains: "got it"},
		{name: "a basic speaker may ask for a rephrase", lang: "ja", level: LevelBasic, issues: []string{"get_refund"}, coin: true,
			text:  "ちょっと聞きたいんですけど、前に返品したイヤホンの返金ってなんかまだみたいで、いつ頃になりそうかなって思ってて…",
			kinds: []StepKind{StepRephrase}, contains: "もう一度、簡単に"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lv := tt.level
			if lv == LevelNone {
				lv = LevelNative
			}
			p := issuePacket(tt.lang, tt.issues...)
			b := newBrain(testOperator(tt.lang, lv), p, testReader(), nil, nil)
			b.Next(p) // the greeting
			if tt.setup != nil {
				tt.setup(b, p)
			}
			p.Add(Line{Speaker: SpeakerCustomer, Text: tt.text}) // as the desk does: the packet learns its slots
			replies, answered := b.Hear(p, tt.text, tt.coin, tt.awaiting)
			var kinds []StepKind
			for _, r := range replies {
				kinds = append(kinds, r.Kind)
				if problem := badWording(tt.lang, r.Text); problem != "" {
					t.Errorf("reply %q: %s", r.Text, problem)
				}
			}
			if !slices.Equal(kinds, tt.kinds) {
				t.Fatalf("replies %v, want %v: %+v", kinds, tt.kinds, replies)
			}
			if tt.contains != "" && !strings.Contains(replies[0].Text, tt.contains) {
				t.Fatalf("reply %q lacks %q", replies[0].Text, tt.contains)
			}
			if answered != tt.answered {
				t.Fatalf("answered = %v", answered)
			}
			if tt.awaiting != "" && p.Facts.Value(tt.awaiting) != tt.fact {
				t.Fatalf("%s = %q, want %q", tt.awaiting, p.Facts.Value(tt.awaiting), tt.fact)
			}
			for in, want := range tt.status {
				if got := p.issueStatus(in); got != want {
					t.Fatalf("%s is %q, want %q", in, got, want)
				}
			}
		})
	}
}

// TestUpsetCustomerIsAskedNoMore: once the customer is angry, the operator
// stops asking and goes straight to the fix.
func TestUpsetCustomerIsAskedNoMore(t *testing.T) {
	p := issuePacket("en", "recover_password")
	b := newBrain(testOperator("en", LevelNative), p, testReader(), nil, nil)
	b.Next(p)
	b.Hear(p, "This is ridiculous, I want my money back", false, "")
	for {
		st, ok := b.Next(p)
		if !ok {
			break
		}
		if st.Kind == StepAsk {
			t.Fatalf("asked %s after the customer got angry", st.Fact)
		}
		b.Sent(st, p)
	}
}
