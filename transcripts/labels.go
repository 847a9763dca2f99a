package transcripts

import (
	"fmt"
	"strings"
	"time"

	"tsunagu/transcripts/termsafe"
)

// Labels are the words printed around stored data by history show, the
// Markdown export and the browser, in one language (issue 15: every label in
// the chosen language). Stored codes (roles, statuses, events, reasons) are
// never shown raw when a label exists; stored text is never translated.
type Labels struct {
	Lang string // "en" or "ja"

	Conversation, Started, Customer, Order, Topic, Channel, Language, Status string
	NoName, HasAccount, Guest                                                string
	Intent, Action, Confidence, Reason                                       string
	// Open and Close wrap an aside: " (" and ")" in English, "（" and "）" in Japanese.
	Open, Close string
	// Comma separates items of an aside.
	Comma string

	roles    map[Role]string
	statuses map[Status]string
	reasons  map[string]string // escalation reasons and operators' leave causes
	ev       eventWords
}

type eventWords struct {
	escalatedTo, escalated, reason                string
	queueAt, queue                                string
	joined, someoneJoined, left, someoneLeft      string
	transferTo, transfer                          string
	callbackAt, callback, callbackLayout          string
	ratedBot, ratedOperator, rated                string
	closed, resumed, offerBy, offer               string
	choiceNative, choiceFirst, choiceOther, other string
}

var english = &Labels{
	Lang:         "en",
	Conversation: "Conversation", Started: "Started", Customer: "Customer", Order: "Order", Topic: "Topic",
	Channel: "Channel", Language: "Language", Status: "Status",
	NoName: "(no name)", HasAccount: "has an account", Guest: "guest",
	Intent: "intent", Action: "action", Confidence: "confidence", Reason: "reason",
	Open: " (", Close: ")", Comma: ", ",
	roles: map[Role]string{RoleCustomer: "Customer", RoleBot: "Bot", RoleOperator: "Operator", RoleSystem: "System"},
	reasons: map[string]string{
		"human_requested": "asked for a person", "multi_issue": "several issues at once", "unresolved": "the answer did not help",
		"no_progress": "no progress", "shift_end": "end of shift", "timeout": "no reply in time", "line_fault": "line fault",
		"skill": "passed to a colleague with the right skills",
	},
	ev: eventWords{
		escalatedTo: "handed to %s", escalated: "handed to a person", reason: " (reason: %s)",
		queueAt: "waiting in the queue, position %d", queue: "waiting in the queue",
		joined: "%s joined", someoneJoined: "an operator joined", left: "%s left", someoneLeft: "the operator left",
		transferTo: "transferred to %s", transfer: "transferred to another operator",
		callbackAt: "callback booked for %s", callback: "callback booked", callbackLayout: time.RFC3339,
		ratedBot: "rated the bot %d of 5", ratedOperator: "rated the operator %d of 5", rated: "rated %d of 5",
		closed: "conversation closed", resumed: "conversation resumed",
		offerBy: "%s offered to close the chat", offer: "the operator offered to close the chat",
		choiceNative: "the customer chose to wait for a native speaker", choiceFirst: "the customer chose the first operator free",
		choiceOther: "the customer chose: %s", other: "event %s",
	},
}

var japanese = &Labels{
	Lang:         "ja",
	Conversation: "会話", Started: "開始", Customer: "お客様", Order: "注文", Topic: "トピック",
	Channel: "チャネル", Language: "言語", Status: "状態",
	NoName: "（名前なし）", HasAccount: "アカウントあり", Guest: "ゲスト",
	Intent: "意図", Action: "対応", Confidence: "確信度", Reason: "理由",
	Open: "（", Close: "）", Comma: "、",
	roles: map[Role]string{RoleCustomer: "お客様", RoleBot: "ボット", RoleOperator: "担当者", RoleSystem: "システム"},
	statuses: map[Status]string{StatusOpen: "対応中", StatusEscalated: "担当者へ引き継ぎ", StatusClosed: "終了",
		StatusAbandoned: "途中終了"},
	reasons: map[string]string{
		"human_requested": "担当者をご希望", "sensitive": "アカウントの安全", "complaint": "苦情", "multi_issue": "複数のご用件",
		"unresolved": "ご案内で解決せず", "no_progress": "ご用件が不明", "shift_end": "勤務終了", "timeout": "応答なし",
		"line_fault": "回線障害", "resolved": "解決", "skill": "担当分野の者へ引き継ぎ",
	},
	ev: eventWords{
		escalatedTo: "%sに引き継ぎました", escalated: "担当者に引き継ぎました", reason: "（理由: %s）",
		queueAt: "順番待ち（%d番目）", queue: "順番待ち",
		joined: "%sが参加しました", someoneJoined: "担当者が参加しました", left: "%sが退出しました", someoneLeft: "担当者が退出しました",
		transferTo: "%sに転送しました", transfer: "別の担当者に転送しました",
		callbackAt: "%sの折り返し電話を予約しました", callback: "折り返し電話を予約しました", callbackLayout: "2006-01-02 15:04 -07:00",
		ratedBot: "ボットの評価: 5段階中%d", ratedOperator: "担当者の評価: 5段階中%d", rated: "評価: 5段階中%d",
		closed: "会話を終了しました", resumed: "会話を再開しました",
		offerBy: "%sがチャットの終了を提案しました", offer: "担当者がチャットの終了を提案しました",
		choiceNative: "お客様はネイティブ話者を待つことを選びました", choiceFirst: "お客様は最初に対応できる担当者を選びました",
		choiceOther: "お客様の選択: %s", other: "イベント %s",
	},
}

// LabelsFor returns the labels for lang: Japanese for "ja", English
// otherwise.
func LabelsFor(lang string) *Labels {
	if lang == "ja" {
		return japanese
	}
	return english
}

// StatusName names a status; an unknown one is shown safely.
func (l *Labels) StatusName(s Status) string {
	if n, ok := l.statuses[s]; ok {
		return n
	}
	return termsafe.Line(string(s))
}

// ReasonName names an escalation reason or an operator's leave cause.
func (l *Labels) ReasonName(code string) string {
	if n, ok := l.reasons[code]; ok {
		return n
	}
	return termsafe.Line(code)
}

// Account is "has an account" or "guest".
func (l *Labels) Account(has bool) string {
	if has {
		return l.HasAccount
	}
	return l.Guest
}

// Speaker is the label of a message: its role, then its author, or the
// conversation's customer for a customer message with no author. It comes
// from the record's role and author, never from its text, and is
// terminal-safe.
func (l *Labels) Speaker(e Entry, customerName string) string {
	return l.speaker(e, customerName, termsafe.Line)
}

func (l *Labels) speaker(e Entry, customerName string, inline func(string) string) string {
	label := l.roles[e.Role]
	if label == "" {
		label = inline(string(e.Role))
	}
	who := e.Author
	if who == "" && e.Role == RoleCustomer {
		who = customerName
	}
	if who != "" {
		label += " " + inline(who)
	}
	return label
}

// Event says in one line what a system entry records, such as "handed to
// Tanaka (reason: complaint)" or 「Tanakaに引き継ぎました（理由: 苦情）」:
// ratings say what was rated, an operator leaving says why, and so on. Times
// in it (a booked callback) are shown in loc, the conversation's zone (nil:
// as recorded). The result is terminal-safe.
func (l *Labels) Event(e Entry, loc *time.Location) string {
	return l.event(e, loc, termsafe.Line)
}

func (l *Labels) event(e Entry, loc *time.Location, inline func(string) string) string {
	m := e.Meta
	if m == nil {
		m = &Meta{}
	}
	w := &l.ev
	who := inline(m.Operator)
	either := func(withWho, without string) string {
		if who == "" {
			return without
		}
		return fmt.Sprintf(withWho, who)
	}
	reason := ""
	if m.Reason != "" {
		reason = fmt.Sprintf(w.reason, inline(l.ReasonName(m.Reason)))
	}
	switch e.Event {
	case EventEscalated:
		return either(w.escalatedTo, w.escalated) + reason
	case EventQueue:
		if m.QueuePosition > 0 {
			return fmt.Sprintf(w.queueAt, m.QueuePosition)
		}
		return w.queue
	case EventOperatorJoined:
		return either(w.joined, w.someoneJoined)
	case EventOperatorLeft:
		if m.Reason != "" {
			return either(w.left, w.someoneLeft) + l.Open + inline(l.ReasonName(m.Reason)) + l.Close
		}
		return either(w.left, w.someoneLeft)
	case EventTransfer:
		return either(w.transferTo, w.transfer) + reason
	case EventCallbackBooked:
		if m.CallbackAt != nil {
			at := *m.CallbackAt
			if loc != nil {
				at = at.In(loc)
			}
			return fmt.Sprintf(w.callbackAt, at.Format(w.callbackLayout))
		}
		return w.callback
	case EventRating:
		switch e.Author {
		case RatedBot:
			return fmt.Sprintf(w.ratedBot, m.Rating)
		case RatedOperator:
			return fmt.Sprintf(w.ratedOperator, m.Rating)
		}
		return fmt.Sprintf(w.rated, m.Rating)
	case EventClosed:
		return w.closed + reason
	case EventResumed:
		return w.resumed
	case EventCloseOffered:
		return either(w.offerBy, w.offer)
	case EventOperatorChoice:
		switch m.Reason {
		case ChoiceNativeSpeaker:
			return w.choiceNative
		case ChoiceFirstAvailable:
			return w.choiceFirst
		}
		return fmt.Sprintf(w.choiceOther, inline(m.Reason))
	}
	return fmt.Sprintf(w.other, inline(string(e.Event))) + reason
}

// botNote is the aside after a bot message: its intent, action, confidence
// and reason, or "" when it has none.
func (l *Labels) botNote(m *Meta, inline func(string) string) string {
	if m == nil || (m.Intent == "" && m.Action == "") {
		return ""
	}
	var parts []string
	if m.Intent != "" {
		parts = append(parts, l.Intent+" "+inline(m.Intent))
	}
	if m.Action != "" {
		parts = append(parts, l.Action+" "+inline(m.Action))
	}
	if m.Confidence > 0 {
		parts = append(parts, fmt.Sprintf("%s %.2f", l.Confidence, m.Confidence))
	}
	if m.Reason != "" {
		parts = append(parts, l.Reason+" "+inline(m.Reason))
	}
	return strings.TrimPrefix(l.Open, " ") + strings.Join(parts, l.Comma) + l.Close
}
