package bot

import (
	"strings"
	"testing"
	"time"
)

// today is the conversations' clock in these tests: Monday 7 Dec 2026.
var today = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func order(status string, daysAgo int) *Order {
	return &Order{ID: "250-1234567-1234567", Items: []string{"Wireless earbuds"}, Status: status,
		StatusDate: today.AddDate(0, 0, -daysAgo)}
}

// TestAnswersFromTheOrder: replies use the order's status and dates, in both languages.
func TestAnswersFromTheOrder(t *testing.T) {
	e := testEngine(t)
	for _, tc := range []struct {
		name, lang, text string
		order            *Order
		intent           string
		want, not        []string
	}{
		{"late parcel", "en", "It still hasn't arrived, when will it come?", order("shipped", 12), "",
			[]string{"12 days ago", "late", "trace", "replacement or a full refund"}, []string{"2-4 days"}},
		{"late parcel", "ja", "まだ届きません。いつ届きますか", order("shipped", 12), "",
			[]string{"12日", "遅れて", "調査", "再送か全額返金"}, []string{"2〜4日"}},
		{"parcel on its way", "en", "When will my parcel arrive?", order("shipped", 2), "",
			nil, []string{"late"}},
		{"shipped order cancelled", "en", "I want to cancel my order", order("shipped", 3), "",
			[]string{"already shipped", "can't be cancelled", "return"}, []string{"while it hasn't shipped"}},
		{"shipped order cancelled", "ja", "注文をキャンセルしたいです", order("shipped", 3), "",
			[]string{"発送済み", "キャンセルはお受けできません", "返品"}, []string{"発送前であれば"}},
		{"delivered order re-addressed", "en", "I need to change the delivery address", order("delivered", 1), "",
			[]string{"was delivered on 6 Dec", "can't be changed"}, nil},
		{"delivered order re-addressed", "ja", "お届け先を変更したいです", order("delivered", 1), "",
			[]string{"12月6日にお届け済み", "変更はできません"}, nil},
		{"refund from the return date", "en", "Where is my refund?", order("returned", 3), "",
			[]string{"reached us on 4 Dec", "by 11 Dec"}, []string{"late"}},
		{"refund from the return date", "ja", "返金はまだですか", order("returned", 3), "",
			[]string{"12月4日", "12月11日までに"}, nil},
		{"refund overdue", "en", "Where is my refund?", order("returned", 14), "",
			[]string{"should have reached you by", "late"}, nil},
		{"refund overdue", "ja", "返金がまだ届きません", order("returned", 14), "",
			[]string{"反映されているはずでした", "遅れており"}, nil},
		{"charged twice", "en", "My card was charged twice", nil, "payment_issue",
			[]string{"double charge", "7 days"}, []string{"declined"}},
		{"charged twice", "ja", "カードで二重に請求されています", nil, "payment_issue",
			[]string{"二重のご請求", "7日"}, []string{"カードが通らない"}},
		{"declined card", "en", "My card was declined", nil, "payment_issue",
			[]string{"declined card"}, []string{"double charge"}},
	} {
		t.Run(tc.name+"/"+tc.lang, func(t *testing.T) {
			conv := e.NewConversation("t", Facts{Lang: tc.lang, SignedIn: true, Order: tc.order, Now: today})
			d := conv.Respond(tc.text)
			if d.Action != ActionAnswer || (tc.intent != "" && d.Intent != tc.intent) {
				t.Fatalf("%q: got %s/%s (%s), want an answer %s", tc.text, d.Intent, d.Action, d.Reason, tc.intent)
			}
			for _, w := range tc.want {
				if !strings.Contains(d.Reply, w) {
					t.Errorf("%q: reply %q does not say %q", tc.text, d.Reply, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(d.Reply, n) {
					t.Errorf("%q: reply %q says %q", tc.text, d.Reply, n)
				}
			}
		})
	}
}

// TestTheIssueExamples: the messages of the issue behave as it asks, in
// both languages.
func TestTheIssueExamples(t *testing.T) {
	e := testEngine(t)
	for _, tc := range []struct {
		lang, text string
		action     Action
		reason     Reason
		intents    []string // the issues, in order, for multi_issue; else the intent ("" for none)
		reply      string   // a piece of the reply
		notReply   string
	}{
		{"en", "The earbuds arrived broken and I was also charged twice", ActionEscalate, ReasonMultiIssue, []string{"product_problem", "payment_issue"}, "more than one thing", ""},
		{"en", "My kettle is broken. Also, where is my refund for the shoes?", ActionEscalate, ReasonMultiIssue, []string{"product_problem", "track_refund"}, "", ""},
		{"ja", "二つ問題があります。荷物が届かないのと、二重請求されています", ActionEscalate, ReasonMultiIssue, []string{"track_order", "payment_issue"}, "複数のご用件", ""},
		{"ja", "イヤホンが壊れて届きました。それと、二重に請求されています", ActionEscalate, ReasonMultiIssue, []string{"product_problem", "payment_issue"}, "", ""},
		// A problem and the remedy wanted, or one problem said twice, is one issue.
		{"en", "The earbuds arrived broken, I'd like a replacement", ActionAnswer, "", []string{"product_problem"}, "", ""},
		{"ja", "イヤホンが壊れて届きました。交換してほしいです", ActionAnswer, "", []string{"product_problem"}, "", ""},
		{"en", "My parcel hasn't arrived. Where is it?", ActionAnswer, "", []string{"track_order"}, "", ""},
		// Vague: clarified with topics, never answered.
		{"en", "I have a problem", ActionClarify, "", []string{""}, "1. ", ""},
		{"en", "Hi, I need some help", ActionClarify, "", []string{""}, "1. ", ""},
		{"ja", "ちょっと聞きたいことが…", ActionClarify, "", []string{""}, "1. ", ""},
		{"ja", "ちょっと困っているのですが", ActionClarify, "", []string{""}, "1. ", ""},
		// A greeting and a real question: the question is answered.
		{"en", "Hello! Where is my parcel?", ActionAnswer, "", []string{"track_order"}, "", ""},
		{"ja", "こんにちは。注文した商品がまだ届きません", ActionAnswer, "", []string{"track_order"}, "", ""},
		// Out of scope in Japanese, as in English.
		{"ja", "明日の天気はどうですか", ActionClarify, "", []string{""}, "ほしぞらマーケット", ""},
		{"en", "What's the weather tomorrow?", ActionClarify, "", []string{""}, "Hoshizora Market", ""},
		// A legal threat: sensitive, passed to a specialist, no password warning.
		{"en", "I'll take legal action", ActionEscalate, ReasonSensitive, []string{"complaint"}, "specialist", "password"},
		{"ja", "弁護士に相談します", ActionEscalate, ReasonSensitive, []string{"complaint"}, "専門の担当者", "パスワード"},
		{"en", "The kettle is still broken, I'm going to sue you", ActionEscalate, ReasonSensitive, []string{"product_problem"}, "specialist", "password"},
	} {
		t.Run(tc.lang+"/"+tc.text, func(t *testing.T) {
			d := e.NewConversation("t", Facts{Lang: tc.lang, SignedIn: true, Now: today}).Respond(tc.text)
			if d.Action != tc.action || d.Reason != tc.reason {
				t.Fatalf("got %s/%s (intent %q, rules %v, note %q); want %s/%s", d.Action, d.Reason, d.Intent, d.Explanation.Rules, d.Explanation.Note, tc.action, tc.reason)
			}
			if tc.reason == ReasonMultiIssue {
				var got []string
				for _, is := range d.Issues {
					got = append(got, is.Intent)
					if is.Text == "" || !strings.Contains(tc.text, is.Text) {
						t.Errorf("issue %s: text %q is not the customer's words", is.Intent, is.Text)
					}
				}
				if strings.Join(got, ",") != strings.Join(tc.intents, ",") {
					t.Errorf("issues %v, want %v", got, tc.intents)
				}
				if d.Explanation.Decided == "" {
					t.Errorf("no Explanation.Decided for a multi_issue")
				}
			} else if d.Intent != tc.intents[0] {
				t.Errorf("intent %q, want %q", d.Intent, tc.intents[0])
			}
			if tc.action == ActionClarify && len(d.Choices) == 0 {
				t.Errorf("a clarification without choices: %q", d.Reply)
			}
			if !strings.Contains(d.Reply, tc.reply) || tc.notReply != "" && strings.Contains(d.Reply, tc.notReply) {
				t.Errorf("reply %q: want %q in it and not %q", d.Reply, tc.reply, tc.notReply)
			}
		})
	}
}

// TestVagueOffersLikelyTopics: a vague message offers the menu's topic
// first, then what the order's status makes likely.
func TestVagueOffersLikelyTopics(t *testing.T) {
	e := testEngine(t)
	d := e.NewConversation("t", Facts{Lang: "en", SignedIn: true, Intent: "delivery_period", Order: order("delivered", 1), Now: today}).Respond("I have a problem")
	var got []string
	for _, c := range d.Choices {
		got = append(got, c.Intent)
	}
	if want := "delivery_period,product_problem,return_item"; strings.Join(got, ",") != want {
		t.Fatalf("choices %v, want %s", got, want)
	}
	if d2 := e.NewConversation("t", Facts{Lang: "en", SignedIn: true}).Respond("I have a problem"); d2.Choices[0].Intent != "track_order" {
		t.Fatalf("without a topic or order: first choice %s, want the rules' vague_offer", d2.Choices[0].Intent)
	}
}

// TestWhyShowsWhatDecided: an escalation that the dialogue state decided
// says so, rather than leaving an intent with a tiny score to explain it.
func TestWhyShowsWhatDecided(t *testing.T) {
	e := testEngine(t)
	c := e.NewConversation("t", Facts{Lang: "en", SignedIn: true})
	c.Respond("My card was declined")
	d := c.Respond("that didn't help")
	if d.Reason != ReasonUnresolved || d.Intent != "payment_issue" || !strings.Contains(d.Explanation.Decided, "payment_issue") {
		t.Fatalf("got %s %s, decided %q", d.Reason, d.Intent, d.Explanation.Decided)
	}
}
