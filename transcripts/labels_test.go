package transcripts

import (
	"strings"
	"testing"
	"time"
)

// handedOverConversation was escalated, waited for a native speaker, lost
// its operator at the end of a shift, was offered a close, and was closed
// with two ratings.
func handedOverConversation() Conversation {
	at := time.Date(2026, 2, 1, 3, 0, 0, 0, time.FixedZone("", 9*3600))
	step := func(n int) time.Time { return at.Add(time.Duration(n) * time.Second).UTC() } // stored in another zone
	callback := time.Date(2026, 2, 2, 6, 0, 0, 0, time.UTC)
	return Conversation{ID: "labels-1", StartedAt: at, Lang: "ja", Customer: Customer{Name: "佐藤 花子", HasAccount: true},
		OrderID: "250-1234567-1234567", Topic: "returns/refund", Channel: "chat", Status: StatusClosed,
		Entries: []Entry{
			{At: step(1), Role: RoleCustomer, Text: "返品したいです"},
			{At: step(2), Role: RoleBot, Text: "担当者におつなぎします。", Meta: &Meta{Intent: "refund", Action: "escalate", Confidence: 0.8, Reason: "human_requested"}},
			{At: step(3), Role: RoleSystem, Event: EventEscalated, Meta: &Meta{Reason: "human_requested"}},
			{At: step(4), Role: RoleSystem, Event: EventOperatorChoice, Meta: &Meta{Reason: ChoiceNativeSpeaker}},
			{At: step(5), Role: RoleSystem, Event: EventOperatorJoined, Meta: &Meta{Operator: "Tanaka"}},
			{At: step(6), Role: RoleSystem, Event: EventOperatorLeft, Meta: &Meta{Operator: "Tanaka", Reason: "shift_end"}},
			{At: step(7), Role: RoleSystem, Event: EventTransfer, Meta: &Meta{Operator: "Suzuki"}},
			{At: step(8), Role: RoleOperator, Author: "Suzuki", Text: "鈴木です。"},
			{At: step(9), Role: RoleSystem, Event: EventCloseOffered, Meta: &Meta{Operator: "Suzuki"}},
			{At: step(10), Role: RoleSystem, Event: EventCallbackBooked, Meta: &Meta{CallbackAt: &callback}},
			{At: step(11), Role: RoleSystem, Event: EventRating, Author: RatedBot, Meta: &Meta{Rating: 2}},
			{At: step(12), Role: RoleSystem, Event: EventRating, Author: RatedOperator, Meta: &Meta{Rating: 5}},
			{At: step(13), Role: RoleSystem, Event: EventClosed},
			{At: step(14), Role: RoleSystem, Event: EventResumed},
		}}
}

// Issue 15: every label of the Markdown export is in the chosen language;
// ratings say what was rated; the leave cause, the offer to close and the
// native-speaker choice are shown; times are in the conversation's zone.
func TestMarkdownLabelsInTheChosenLanguage(t *testing.T) {
	c := handedOverConversation()
	tests := []struct {
		lang    string
		want    []string
		notWant []string
	}{
		{"en", []string{
			"# Conversation labels-1\n",
			"- Started: 2026-02-01 03:00:00 +09:00\n",
			"- Customer: 佐藤 花子 (has an account)\n",
			"- Status: closed\n",
			"**03:00:01 · Customer 佐藤 花子**",
			"**03:00:02 · Bot** (intent refund, action escalate, confidence 0.80, reason human\\_requested)",
			"*03:00:03 · handed to a person (reason: asked for a person)*",
			"*03:00:04 · the customer chose to wait for a native speaker*",
			"*03:00:06 · Tanaka left (end of shift)*",
			"*03:00:07 · transferred to Suzuki*",
			"**03:00:08 · Operator Suzuki**",
			"*03:00:09 · Suzuki offered to close the chat*",
			"*03:00:10 · callback booked for 2026-02-02T15:00:00+09:00*",
			"*03:00:11 · rated the bot 2 of 5*",
			"*03:00:12 · rated the operator 5 of 5*",
			"*03:00:13 · conversation closed*",
			"*03:00:14 · conversation resumed*",
		}, []string{"rated 2 of 5", "18:00"}},
		{"ja", []string{
			"# 会話 labels-1\n",
			"- 開始: 2026-02-01 03:00:00 +09:00\n",
			"- お客様: 佐藤 花子（アカウントあり）\n",
			"- 状態: 終了\n",
			"**03:00:01 · お客様 佐藤 花子**",
			"**03:00:02 · ボット** （意図 refund、対応 escalate、確信度 0.80、理由 human\\_requested）",
			"*03:00:03 · 担当者に引き継ぎました（理由: 担当者をご希望）*",
			"*03:00:04 · お客様はネイティブ話者を待つことを選びました*",
			"*03:00:06 · Tanakaが退出しました（勤務終了）*",
			"*03:00:07 · Suzukiに転送しました*",
			"**03:00:08 · 担当者 Suzuki**",
			"*03:00:09 · Suzukiがチャットの終了を提案しました*",
			"*03:00:10 · 2026-02-02 15:00 +09:00の折り返し電話を予約しました*",
			"*03:00:11 · ボットの評価: 5段階中2*",
			"*03:00:12 · 担当者の評価: 5段階中5*",
			"*03:00:13 · 会話を終了しました*",
			"*03:00:14 · 会話を再開しました*",
		}, []string{"Conversation", "Customer", "Operator", "Bot", "handed to", "rated", "closed", "has an account", "left", "Status"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			md := MarkdownIn(c, tt.lang)
			for _, w := range tt.want {
				if !strings.Contains(md, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(md, w) {
					t.Errorf("has %q", w)
				}
			}
			if t.Failed() {
				t.Logf("\n%s", md)
			}
		})
	}
}

func TestEventDescriptions(t *testing.T) {
	tests := []struct {
		name   string
		e      Entry
		en, ja string
	}{
		{"rating without a stage (older records)", Entry{Event: EventRating, Meta: &Meta{Rating: 3}}, "rated 3 of 5", "評価: 5段階中3"},
		{"operator left without a cause", Entry{Event: EventOperatorLeft}, "the operator left", "担当者が退出しました"},
		{"unknown leave cause", Entry{Event: EventOperatorLeft, Meta: &Meta{Operator: "Tanaka", Reason: "coffee"}}, "Tanaka left (coffee)", "Tanakaが退出しました（coffee）"},
		{"first available", Entry{Event: EventOperatorChoice, Meta: &Meta{Reason: ChoiceFirstAvailable}},
			"the customer chose the first operator free", "お客様は最初に対応できる担当者を選びました"},
		{"offer without a name", Entry{Event: EventCloseOffered}, "the operator offered to close the chat", "担当者がチャットの終了を提案しました"},
		{"unknown event", Entry{Event: "tea_break\x1b[2J"}, "event tea_break", "イベント tea_break"},
		{"hostile operator name", Entry{Event: EventOperatorJoined, Meta: &Meta{Operator: "Eve\x1b]0;x\x07\u202e"}}, "Eve joined", "Eveが参加しました"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.e.Role = RoleSystem
			for lang, want := range map[string]string{"en": tt.en, "ja": tt.ja} {
				if got := LabelsFor(lang).Event(tt.e, nil); got != want {
					t.Errorf("%s: %q, want %q", lang, got, want)
				}
			}
			if got := DescribeEvent(tt.e); got != tt.en {
				t.Errorf("DescribeEvent: %q, want %q", got, tt.en)
			}
		})
	}
}
