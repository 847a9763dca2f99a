package common

import (
	"fmt"
	"time"
)

// Strings holds every UI string of the customer app in one language, and
// the help of every key of the three apps. Both languages fill every field
// with the same fmt verbs (a test checks); texts with verbs take fmt
// arguments, noted beside them, and a language that needs them in another
// order says so with explicit indexes (%[2]s).
//
// This, with HistoryStrings and TrainStrings, is the one way the UI holds a
// string in two languages: a struct per app, filled once per language and
// chosen by Text, HistoryText or TrainText. A text that two apps say alike
// lives here once.
type Strings struct {
	AppTitle        string
	TooSmall        string
	Loading         string
	LoadFailed      string // %s: the error
	StoreFailed     string // %s: the error
	StartTitle      string
	StartSignedIn   string // %s: customer name
	StartNoAccount  string
	NoAccountNote   string
	ContactNumbers  string // %s: shop name
	OrderTitle      string
	OrderFilter     string
	OrderNone       string
	OrderNoMatch    string
	TopicTitle      string
	SubtopicTitle   string // %s: category
	ChannelTitle    string
	ChannelChat     string
	ChannelCall     string
	ChannelCallOpen string // %d: minutes
	ChannelCallShut string // %s: next opening
	PhoneTitle      string
	PhonePrompt     string
	PhoneValid      string // %s: normalised number
	PhoneInvalid    string
	PhoneHoursOpen  string // %d minutes
	PhoneHoursShut  string // %s next opening
	PhoneBook       string
	PhoneBookSlot   string // %s slot
	PhoneChatNow    string
	BookedTitle     string
	BookedWithin    string // %[1]s phone, %[2]d minutes
	BookedSlot      string // %[1]s phone, %[2]s time
	BookedSaved     string // %s id
	Status          map[string]string

	// Chat.
	You                   string
	Bot                   string
	System                string
	AnsweringBot          string
	AnsweringOp           string // %s operator label
	Waiting               string // %d position, %s eta
	WaitingNoETA          string // %d position
	Typing                string // %s name
	Saving                string
	NotSaved              string
	Placeholder           string
	NewBelow              string
	PasteCut              string            // %d chars, %d lines
	SendTooFast           string            // a message held by the message limit
	PasteManyLines        string            // %d lines
	Escalated             string            // %s reason
	Reasons               map[string]string // escalation reasons, for the customer (ReasonText)
	ChoiceTitle           string
	ChoiceFirst           string // %s eta
	ChoiceNative          string // %s language, %s eta
	ChoiceNoNative        string
	ChoiceHint            string
	WaitingOperator       string            // the header while the chat waits for an operator
	EventJoined           string            // %s label
	EventBack             string            // %s label: the same operator takes the chat back
	EventLeft             string            // %s name, %s cause
	EventTransfer         string            // %s from, %s to
	EventBooked           string            // %s phone %s time
	Causes                map[string]string // why an operator left (CauseText)
	Resolved              string
	EventClosedByOperator string // the operator ended the chat
	ReceiptTitle          string
	ReceiptReason         string
	ReceiptSummary        string
	ReceiptFacts          string
	ReceiptCase           string // the customer's issues and where each stands
	ReceiptDecisions      string
	ReceiptLines          string
	ReceiptNone           string
	WhyTitle              string
	WhyNone               string
	WhyIntent             string
	WhyConfidence         string
	WhyAction             string
	WhyReason             string
	WhyRules              string
	WhyNote               string
	WhyDecided            string // what decided the action
	WhyIssues             string // the issues the message raised, one per clause
	HumanAsked            string
	BotThinking           string

	// End.
	RateTitle     string
	RateBot       string
	RateOperator  string
	RateHint      string
	ClosedTitle   string
	ClosedSaved   string // %s id
	ClosedHistory string // %s command
	ClosedLater   string // %s command
	ClosedNotSave string

	// Resuming a stored conversation.
	EventResumed   string // the inline event when a conversation is resumed
	ResumeLoading  string // the status line while it loads
	SavingQuit     string // shown while quitting waits for queued writes
	SavingWaiting  string // quitting waits for %d writes the store has refused so far (%s: why)
	QuitKept       string // after the app: the conversation %s was kept, unfinished
	QuitRecovered  string // after the app: %d entries not stored are in file %s; %s again
	QuitLost       string // after the app: %d entries could not be stored nor written to a file (%s)
	ResumeFailed   string // %s: the error
	ResumeClosed   string // the history's answer to resuming a closed one
	ResumeReadOnly string // the history's answer when the store is read-only

	// Times, waits and languages.
	SlotLayout    string            // time.Format layout of a callback's time
	ETAUnder      string            // a wait under a minute
	ETAOne        string            // a wait of about one minute
	ETAMinutes    string            // %d minutes
	LanguageNames map[string]string // language codes named in the UI language

	// Help names what each key does, in every app.
	Help map[string]string
}

// Text returns the strings for lang ("ja" or anything else for English).
func Text(lang string) *Strings {
	if lang == "ja" {
		return &stringsJA
	}
	return &stringsEN
}

var stringsEN = Strings{
	AppTitle:        "tsunagu · customer support",
	TooSmall:        "terminal too small",
	Loading:         "Loading the rules…",
	LoadFailed:      "Could not start: %s",
	StoreFailed:     "The conversation store cannot be used: %s",
	StartTitle:      "Who are you?",
	StartSignedIn:   "Signed in as %s",
	StartNoAccount:  "I don't have an account",
	NoAccountNote:   "Without an account we can help with account and login questions. Order questions need an account.",
	ContactNumbers:  "%s contact numbers",
	OrderTitle:      "Which order is this about?",
	OrderFilter:     "Filter: ",
	OrderNone:       "Not about an order",
	OrderNoMatch:    "No order matches the filter.",
	TopicTitle:      "What is it about?",
	SubtopicTitle:   "%s: what exactly?",
	ChannelTitle:    "How would you like to be contacted?",
	ChannelChat:     "Chat now (24/7)",
	ChannelCall:     "Request a phone call",
	ChannelCallOpen: "we call you within %d minutes",
	ChannelCallShut: "phone lines are closed; next opening %s",
	PhoneTitle:      "Request a phone call",
	PhonePrompt:     "Your phone number: ",
	PhoneValid:      "✓ we will call %s",
	PhoneInvalid:    "✗ not a phone number yet (e.g. 090-1234-5678 or +81 90 1234 5678)",
	PhoneHoursOpen:  "Phone hours are 09:00-18:00. We call you within %d minutes.",
	PhoneHoursShut:  "Phone lines are closed (09:00-18:00). The next opening is %s.",
	PhoneBook:       "Enter: request the call",
	PhoneBookSlot:   "Enter: book a call for %s",
	PhoneChatNow:    "Tab: chat now instead",
	BookedTitle:     "Callback booked",
	BookedWithin:    "We will call %[1]s within %[2]d minutes.",
	BookedSlot:      "We will call %[1]s at %[2]s.",
	BookedSaved:     "Saved as %s.",
	Status:          map[string]string{"delivered": "delivered", "in_transit": "in transit", "cancelled": "cancelled", "returned": "returned"},

	You:                   "You",
	Bot:                   "Assistant (bot)",
	System:                "·",
	AnsweringBot:          "You are talking to the assistant (a bot)",
	AnsweringOp:           "You are talking to %s",
	Waiting:               "In the queue: position %d · %s",
	WaitingNoETA:          "In the queue: position %d",
	Typing:                "%s is typing…",
	Saving:                "saving…",
	NotSaved:              "not saved, retrying",
	Placeholder:           "Type a message. Enter sends, Alt+Enter or Ctrl+J adds a line.",
	NewBelow:              "↓ new messages (PgDn)",
	PasteCut:              "The paste was cut to %d characters and %d lines.",
	SendTooFast:           "Too many messages: wait a few seconds, then press Enter again.",
	PasteManyLines:        "You pasted %d lines; only the first lines were kept.",
	Escalated:             "Handing you to a person: %s",
	Reasons:               map[string]string{"human_requested": "you asked for a person.", "sensitive": "this is about your account's safety, which a person should handle.", "complaint": "we are sorry; a person will look into this.", "multi_issue": "there are several problems at once.", "unresolved": "my answer did not solve it.", "no_progress": "I could not work out what you need."},
	ChoiceTitle:           "Who should answer?",
	ChoiceFirst:           "1  First available operator · %s",
	ChoiceNative:          "2  A native %s speaker · %s",
	ChoiceNoNative:        "(none on shift now; includes the wait for one)",
	ChoiceHint:            "1/2 or ↑/↓, Enter to confirm · Esc: stay with the assistant · type to add a note",
	WaitingOperator:       "Waiting for an operator",
	EventJoined:           "%s joined",
	EventBack:             "%s is back",
	EventLeft:             "%s left (%s)",
	EventTransfer:         "transferred from %s to %s",
	EventBooked:           "phone callback booked for %s at %s",
	Causes:                map[string]string{"shift_end": "end of shift", "timeout": "no reply in time", "line_fault": "line fault", "resolved": "resolved", "skill": "passed to a colleague with the right skills"},
	Resolved:              "The operator offers to close the chat. Ctrl+X to rate and close.",
	EventClosedByOperator: "The operator closed the chat. Ctrl+X to rate it.",
	EventResumed:          "Conversation resumed",
	ResumeLoading:         "Loading the conversation…",
	SavingQuit:            "Saving… the app closes when everything is written (ctrl+c again: quit now).",
	SavingWaiting:         "Saving… %d entries wait for the store (%s); retrying. Ctrl+C again quits now and keeps them in a recovery file.",
	QuitKept:              "The conversation was kept unfinished: tsunagu history show %s (continue it from tsunagu history).",
	QuitRecovered:         "%d entries could not be stored; they are in %s. Once the store works, run: tsunagu history import %s",
	QuitLost:              "%d entries could not be stored, nor written to a recovery file (%s).",
	ResumeFailed:          "This conversation cannot be resumed: %s",
	ResumeClosed:          "This conversation is closed, so it cannot be resumed.",
	ResumeReadOnly:        "The store is read-only, so conversations cannot be resumed from here.",
	ReceiptTitle:          "What the operator receives",
	ReceiptReason:         "Reason",
	ReceiptSummary:        "Summary",
	ReceiptFacts:          "Facts",
	ReceiptCase:           "Case",
	ReceiptDecisions:      "Bot decisions",
	ReceiptLines:          "Transcript lines",
	ReceiptNone:           "Nothing has been handed over yet.",
	WhyTitle:              "Why did the bot do that?",
	WhyNone:               "The bot has not decided anything yet.",
	WhyIntent:             "Intent",
	WhyConfidence:         "Confidence",
	WhyAction:             "Action",
	WhyReason:             "Reason",
	WhyRules:              "Rules fired",
	WhyNote:               "Note",
	WhyDecided:            "Decided by",
	WhyIssues:             "Issues in the message",
	HumanAsked:            "I'd like to talk to a person.",
	BotThinking:           "the assistant is answering…",

	RateTitle:     "How did we do? (optional)",
	RateBot:       "The assistant (bot)",
	RateOperator:  "The operator",
	RateHint:      "1-5 to rate, 0 to skip, Enter to continue",
	ClosedTitle:   "Conversation closed",
	ClosedSaved:   "Saved as %s.",
	ClosedHistory: "Press h to view it in history now, or later: %s",
	ClosedLater:   "View it in history later: %s",
	ClosedNotSave: "Some messages could not be saved.",

	SlotLayout:    "Mon 2 Jan 15:04",
	ETAUnder:      "under a minute",
	ETAOne:        "about 1 minute",
	ETAMinutes:    "about %d minutes",
	LanguageNames: map[string]string{"ja": "Japanese", "en": "English"},

	Help: map[string]string{
		// Every app.
		"quit": "quit", "help": "more keys", "back": "back", "up": "up", "down": "down", "choose": "choose",
		"send": "send", "newline": "new line", "scroll": "scroll",
		// The customer app.
		"human": "ask for a person", "receipt": "receipt", "why": "why?", "call": "phone call", "end": "rate & close",
		"tab": "chat instead", "history": "view in history",
		// The history browser.
		"open": "open", "search": "type to search", "filter": "filters", "mark": "mark", "export": "export",
		"delete": "delete", "page": "page", "hits": "next/prev hit", "panel": "side panel", "copy": "copy",
		"resume": "resume in chat", "retry": "retry", "top": "top",
		// The trainee app.
		"play": "play", "transfer": "transfer", "callback": "callback", "wait": "wait 30s", "close": "close chat",
		"team": "team", "cancel": "cancel", "list": "scenario list",
	},
}

var stringsJA = Strings{
	AppTitle:        "つなぐ・カスタマーサポート",
	TooSmall:        "端末が小さすぎます",
	Loading:         "ルールを読み込んでいます…",
	LoadFailed:      "起動できませんでした: %s",
	StoreFailed:     "会話の保存先を使えません: %s",
	StartTitle:      "お客様について",
	StartSignedIn:   "%s 様としてログイン中",
	StartNoAccount:  "アカウントを持っていない",
	NoAccountNote:   "アカウントがなくても、アカウントとログインについてはご案内できます。ご注文についてのお問い合わせにはアカウントが必要です。",
	ContactNumbers:  "%s のお問い合わせ先",
	OrderTitle:      "どのご注文についてですか？",
	OrderFilter:     "絞り込み: ",
	OrderNone:       "注文についてではない",
	OrderNoMatch:    "一致するご注文はありません。",
	TopicTitle:      "お問い合わせの内容は？",
	SubtopicTitle:   "%s: 具体的には？",
	ChannelTitle:    "ご連絡方法をお選びください",
	ChannelChat:     "今すぐチャット（24時間）",
	ChannelCall:     "電話をリクエスト",
	ChannelCallOpen: "%d分以内にお電話します",
	ChannelCallShut: "電話受付時間外です。次の受付開始は %s",
	PhoneTitle:      "電話をリクエスト",
	PhonePrompt:     "お電話番号: ",
	PhoneValid:      "✓ %s にお電話します",
	PhoneInvalid:    "✗ まだ電話番号になっていません（例: 090-1234-5678、+81 90 1234 5678）",
	PhoneHoursOpen:  "電話受付は9:00〜18:00です。%d分以内にお電話します。",
	PhoneHoursShut:  "電話受付時間外です（9:00〜18:00）。次の受付開始は %s です。",
	PhoneBook:       "Enter: 電話をリクエスト",
	PhoneBookSlot:   "Enter: %s に予約",
	PhoneChatNow:    "Tab: 代わりに今すぐチャット",
	BookedTitle:     "お電話の予約を承りました",
	BookedWithin:    "%[2]d分以内に %[1]s へお電話します。",
	BookedSlot:      "%[2]s に %[1]s へお電話します。",
	BookedSaved:     "%s として保存しました。",
	Status:          map[string]string{"delivered": "配達済み", "in_transit": "配送中", "cancelled": "キャンセル済み", "returned": "返品済み"},

	You:                   "あなた",
	Bot:                   "アシスタント（ボット）",
	System:                "·",
	AnsweringBot:          "アシスタント（ボット）が対応しています",
	AnsweringOp:           "%s が対応しています",
	Waiting:               "順番待ち: %d番目・%s",
	WaitingNoETA:          "順番待ち: %d番目",
	Typing:                "%s が入力中…",
	Saving:                "保存中…",
	NotSaved:              "未保存・再試行中",
	Placeholder:           "メッセージを入力。Enterで送信、Alt+EnterまたはCtrl+Jで改行。",
	NewBelow:              "↓ 新しいメッセージ（PgDn）",
	PasteCut:              "貼り付けた文章を%d文字・%d行までに切り詰めました。",
	SendTooFast:           "送信が続いています。数秒待ってからもう一度 Enter を押してください。",
	PasteManyLines:        "%d行が貼り付けられました。先頭の行だけを残しました。",
	Escalated:             "担当者におつなぎします: %s",
	Reasons:               map[string]string{"human_requested": "担当者との会話をご希望のためです。", "sensitive": "アカウントの安全に関わるため、担当者が対応します。", "complaint": "ご不便をおかけして申し訳ございません。担当者が確認します。", "multi_issue": "複数のご用件があるためです。", "unresolved": "ご案内で解決しなかったためです。", "no_progress": "ご用件を正しく理解できなかったためです。"},
	ChoiceTitle:           "担当者の選び方",
	ChoiceFirst:           "1  最初に空いた担当者・%s",
	ChoiceNative:          "2  %sのネイティブ話者・%s",
	ChoiceNoNative:        "（現在勤務中の者がいないため、その待ち時間を含みます）",
	ChoiceHint:            "1/2 または ↑/↓ で選び、Enterで決定 · Esc: アシスタントに戻る · 入力すると担当者へのメモになります",
	WaitingOperator:       "担当者を待っています",
	EventJoined:           "%s が参加しました",
	EventBack:             "%s が戻りました",
	EventLeft:             "%s が退出しました（%s）",
	EventTransfer:         "%s から %s へ引き継ぎました",
	EventBooked:           "%s への折り返し電話を %s に予約しました",
	Causes:                map[string]string{"shift_end": "勤務終了", "timeout": "応答なし", "line_fault": "回線障害", "resolved": "解決", "skill": "担当分野の者へ引き継ぎ"},
	Resolved:              "担当者がチャットの終了を提案しています。Ctrl+Xで評価して終了します。",
	EventClosedByOperator: "担当者がチャットを終了しました。Ctrl+Xで評価できます。",
	EventResumed:          "会話を再開しました",
	ResumeLoading:         "会話を読み込んでいます…",
	SavingQuit:            "保存しています…書き込みが終わると終了します（もう一度 ctrl+c ですぐ終了）。",
	SavingWaiting:         "保存しています… %d 件が保存待ちです（%s）。再試行しています。もう一度 Ctrl+C で今すぐ終了し、復旧ファイルに残します。",
	QuitKept:              "会話は未完了のまま保存されました: tsunagu history show %s（tsunagu history から続けられます）",
	QuitRecovered:         "%d 件を保存できなかったため、%s に書き出しました。保存先が使えるようになったら次を実行してください: tsunagu history import %s",
	QuitLost:              "%d 件を保存できず、復旧ファイルにも書き出せませんでした（%s）。",
	ResumeFailed:          "この会話は再開できません: %s",
	ResumeClosed:          "この会話は終了しているため、再開できません。",
	ResumeReadOnly:        "保存先が読み取り専用のため、ここから会話を再開できません。",
	ReceiptTitle:          "担当者に渡る内容",
	ReceiptReason:         "理由",
	ReceiptSummary:        "要約",
	ReceiptFacts:          "わかっていること",
	ReceiptCase:           "ご用件",
	ReceiptDecisions:      "ボットの判断",
	ReceiptLines:          "会話の行数",
	ReceiptNone:           "まだ担当者には渡っていません。",
	WhyTitle:              "ボットがそうした理由",
	WhyNone:               "ボットはまだ何も判断していません。",
	WhyIntent:             "意図",
	WhyConfidence:         "確信度",
	WhyAction:             "行動",
	WhyReason:             "理由",
	WhyRules:              "使われたルール",
	WhyNote:               "メモ",
	WhyDecided:            "判断の根拠",
	WhyIssues:             "メッセージ中のご用件",
	HumanAsked:            "担当者と話したいです。",
	BotThinking:           "アシスタントが回答中…",

	RateTitle:     "ご対応はいかがでしたか？（任意）",
	RateBot:       "アシスタント（ボット）",
	RateOperator:  "担当者",
	RateHint:      "1〜5で評価、0でスキップ、Enterで次へ",
	ClosedTitle:   "お問い合わせを終了しました",
	ClosedSaved:   "%s として保存しました。",
	ClosedHistory: "h キーで今すぐ履歴で見られます。あとからは: %s",
	ClosedLater:   "あとから履歴で見る: %s",
	ClosedNotSave: "一部のメッセージを保存できませんでした。",

	SlotLayout:    "1月2日 15:04",
	ETAUnder:      "1分未満",
	ETAOne:        "約1分",
	ETAMinutes:    "約%d分",
	LanguageNames: map[string]string{"ja": "日本語", "en": "英語"},

	Help: map[string]string{
		// Every app.
		"quit": "終了", "help": "キー一覧", "back": "戻る", "up": "上", "down": "下", "choose": "選択",
		"send": "送信", "newline": "改行", "scroll": "スクロール",
		// The customer app.
		"human": "担当者と話す", "receipt": "引き継ぎ内容", "why": "理由", "call": "電話", "end": "評価して終了",
		"tab": "チャットへ", "history": "履歴で見る",
		// The history browser.
		"open": "開く", "search": "入力で検索", "filter": "絞り込み", "mark": "選択", "export": "書き出し",
		"delete": "削除", "page": "ページ", "hits": "次／前の一致", "panel": "サイドパネル", "copy": "コピー",
		"resume": "チャットで再開", "retry": "再試行", "top": "先頭",
		// The trainee app.
		"play": "開始", "transfer": "転送", "callback": "折り返し予約", "wait": "30秒待つ", "close": "対応終了",
		"team": "担当", "cancel": "キャンセル", "list": "シナリオ一覧",
	},
}

// Slot says when a callback is due.
func (t *Strings) Slot(at time.Time) string { return at.Format(t.SlotLayout) }

// ETA rounds a wait to whole minutes, or "under a minute".
func (t *Strings) ETA(d time.Duration) string {
	switch mins := int((d + 30*time.Second) / time.Minute); {
	case mins < 1:
		return t.ETAUnder
	case mins == 1:
		return t.ETAOne
	default:
		return fmt.Sprintf(t.ETAMinutes, mins)
	}
}

// Language names a language code, or gives the code when it has no name.
func (t *Strings) Language(code string) string {
	if n, ok := t.LanguageNames[code]; ok {
		return n
	}
	return code
}

// ReasonText says why a conversation was handed to a person, from the
// escalation reason's code; an unknown code is shown as it is.
func (t *Strings) ReasonText(code string) string {
	if r, ok := t.Reasons[code]; ok {
		return r
	}
	return code
}

// CauseText says why an operator left, from the cause's code; an unknown
// code is shown as it is.
func (t *Strings) CauseText(code string) string {
	if c := t.Causes[code]; c != "" {
		return c
	}
	return code
}
