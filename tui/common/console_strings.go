package common

import "charm.land/bubbles/v2/key"

// ConsoleStrings holds the operator console's UI strings in one language
// (see Strings). What it says as the customer app does (the language
// names, why an operator left, "terminal too small") is in Strings.
type ConsoleStrings struct {
	Title    string
	TooSmall string
	Me       string            // %s name, %s role
	Holding  string            // %d chats held, %d capacity
	People   string            // %s the people signed in
	Nobody   string            // nobody else is signed in
	Roles    map[string]string // live.Role → label
	Classes  map[string]string // handoff.Class.String() → label

	// The queue.
	QueueEmpty     string
	StateWaiting   string // %s claim window left
	StateWaitingNo string // waiting with no claim window (reserved)
	StateMine      string
	StatePerson    string // %s holder
	StateSim       string // %s simulated operator
	StateSimNone   string
	StateClosed    string
	RolePlay       string // the role-play marker
	ForTrainee     string // %s the trainee the role-play waits for
	Waited         string // %s how long
	Refusals       map[string]string
	Refused        string // %s why
	Failed         string // %s the error
	NoTopic        string

	// A chat.
	ChatTitle    string // %s customer
	WatchTitle   string // %s customer
	ReadOnly     string
	Customer     string // label of an anonymous customer
	Bot          string
	Joined       string // %s person
	Left         string // %s person, %s cause
	Closed       string
	CustomerLeft string
	ChatOver     string
	Awaiting     string // %s the fact asked for
	PanelTitle   string
	Summary      string
	Reason       string
	Facts        string
	Issues       string
	Transfers    string
	TransferRow  string // %s from, %s to, %s cause
	TheQueue     string

	// A desk login that cannot open the console.
	SignedInElsewhere string // %s operator id: already signed in
	CannotOpen        string // %s why
	AnyKeyCloses      string
	FactNames         map[string]string
	AskTitle          string
	Asked             string // %s the fact
	KnownFact         string // %s the value
	TransferTitle     string
	TeamTitle         string
	Transferred       string // %s to whom
	NoColleague       string
	CallbackTitle     string
	CallbackHint      string // %s the packet's number, or none
	CallbackNone      string
	Booked            string // %s the booking as the customer is told it
	CloseAsk          string
	ClosedDone        string
	Placeholder       string
	ScoreTitle        string // %s scenario
	ScoreTotal        string // %.1f total
	ScoreCritical     string // %.1f before the critical failure
	ScoreFail         string
	ScorePass         string
	CardError         string // %s the error
	CardWaiting       string
	TranscriptNone    string

	// The trainer's role-play.
	NewPlayTitle  string
	PickScenario  string
	PickLang      string
	PickTrainee   string
	NoTrainee     string
	PlayTitle     string // %s scenario
	You           string // the trainer, as the customer
	Suggestions   string
	PlayStarting  string
	PlayBot       string
	PlayQueue     string // %d position
	PlayOperator  string // %s who answers
	PlayEnded     string
	PlayFailed    string // %s the error
	PlayEndAsk    string
	PlayRunning   string // the queue's hint that a role-play goes on
	PlayEscalated string // %s reason

	// Help names what each key does.
	Help map[string]string
}

// ConsoleText returns the console strings for lang ("ja", or English).
func ConsoleText(lang string) *ConsoleStrings {
	if lang == "ja" {
		return &consoleJA
	}
	return &consoleEN
}

var consoleEN = ConsoleStrings{
	Title:    "tsunagu · operator console",
	TooSmall: "terminal too small",
	Me:       "%s · %s",
	Holding:  "chats %d/%d",
	People:   "signed in: %s",
	Nobody:   "nobody else",
	Roles:    map[string]string{"operator": "operator", "trainee": "trainee", "trainer": "trainer"},
	Classes:  map[string]string{"handover": "handover", "sensitive": "sensitive", "complaint": "complaint", "normal": "normal"},

	QueueEmpty:     "No chats on the desk right now.",
	StateWaiting:   "waiting, %s left",
	StateWaitingNo: "waiting",
	StateMine:      "with you",
	StatePerson:    "with %s",
	StateSim:       "with %s (simulated)",
	StateSimNone:   "with a simulated operator",
	StateClosed:    "closed",
	RolePlay:       "[role-play]",
	ForTrainee:     "for %s",
	Waited:         "waited %s",
	Refusals: map[string]string{
		"no_such_chat": "the chat is no longer on the desk", "not_waiting": "someone else has it",
		"not_yours": "the chat is with someone else", "wrong_role": "your role cannot do that",
		"no_language": "you do not speak the customer's language", "not_native": "the customer asked for a native speaker",
		"no_skill": "it is not one of your topics", "full": "you already hold as many chats as you can",
		"reserved": "it is kept for someone else", "closed": "the chat is over", "empty": "nothing to send",
		"unknown_fact": "that is not a fact you can ask for", "no_such_person": "that person is not signed in",
		"signed_out": "you are signed out",
		"booked":     "a call is already booked for this chat",
	},
	Refused:      "Cannot: %s.",
	Failed:       "Not done: %s",
	NoTopic:      "no topic",
	ChatTitle:    "Chat with %s",
	WatchTitle:   "Watching %s",
	ReadOnly:     "READ-ONLY",
	Customer:     "Customer",
	Bot:          "Bot",
	Joined:       "%s joined",
	Left:         "%s left (%s)",
	Closed:       "chat closed",
	CustomerLeft: "The customer left.",
	ChatOver:     "This chat is over.",
	Awaiting:     "asked for %s",
	PanelTitle:   "Packet and case",
	Summary:      "Summary",
	Reason:       "Reason",
	Facts:        "Facts",
	Issues:       "Issues",
	Transfers:    "Transfers",
	TransferRow:  "%s → %s (%s)",
	TheQueue:     "the queue",

	SignedInElsewhere: "%s is already signed in at the desk in another session. Sign out there (q), then connect again.",
	CannotOpen:        "The operator console cannot open: %s",
	AnyKeyCloses:      "Press any key to close.",
	FactNames: map[string]string{"order_id": "order", "item": "items", "email": "email", "phone": "phone",
		"amount": "amount", "customer": "customer"},
	AskTitle:       "Ask the customer for:",
	Asked:          "Asked the customer for %s.",
	KnownFact:      "The packet already has it: %s — don't make the customer repeat it.",
	TransferTitle:  "Transfer to:",
	TeamTitle:      "Transfer to a team:",
	Transferred:    "Transferred to %s.",
	NoColleague:    "(no colleague signed in)",
	CallbackTitle:  "Book a callback: phone number",
	CallbackHint:   "Empty uses the packet's number: %s",
	CallbackNone:   "none",
	Booked:         "Callback booked. %s",
	CloseAsk:       "Close this chat? y/n",
	ClosedDone:     "Chat closed.",
	Placeholder:    "Reply to the customer…",
	ScoreTitle:     "Scorecard: %s",
	ScoreTotal:     "Total %.1f / 100",
	ScoreCritical:  "critical failure (%.1f before it)",
	ScoreFail:      "FAIL",
	ScorePass:      "pass",
	CardError:      "The scorecard was not saved: %s",
	CardWaiting:    "Waiting for the trainee's scorecard…",
	TranscriptNone: "Nothing said yet.",

	NewPlayTitle:  "New role-play",
	PickScenario:  "Scenario",
	PickLang:      "Language",
	PickTrainee:   "Trainee",
	NoTrainee:     "No trainee is signed in at the desk.",
	PlayTitle:     "Role-play: %s — you are the customer",
	You:           "You (customer)",
	Suggestions:   "Opening lines (tab puts one in the box):",
	PlayStarting:  "Starting the customer's chat…",
	PlayBot:       "talking to the bot",
	PlayQueue:     "in the queue, position %d",
	PlayOperator:  "%s answers",
	PlayEnded:     "The chat ended.",
	PlayFailed:    "The role-play could not start: %s",
	PlayEndAsk:    "Leave the chat as the customer? y/n",
	PlayRunning:   "your role-play goes on: p returns to it",
	PlayEscalated: "handed to a person: %s",

	Help: map[string]string{
		"quit": "quit", "help": "more keys", "back": "back", "up": "up", "down": "down",
		"open": "take / open", "watch": "watch", "new": "new role-play", "play": "my role-play",
		"send": "send", "newline": "new line", "ask": "ask for a fact", "transfer": "transfer",
		"callback": "book a callback", "close": "close", "scroll": "scroll", "choose": "choose",
		"cancel": "cancel", "suggest": "next opening line", "person": "ask for a person",
		"end": "leave as the customer", "yes": "yes", "no": "no",
	},
}

var consoleJA = ConsoleStrings{
	Title:    "tsunagu · オペレーター画面",
	TooSmall: "端末が小さすぎます",
	Me:       "%s · %s",
	Holding:  "対応中 %d/%d",
	People:   "サインイン中: %s",
	Nobody:   "ほかにいません",
	Roles:    map[string]string{"operator": "オペレーター", "trainee": "研修生", "trainer": "トレーナー"},
	Classes:  map[string]string{"handover": "引き継ぎ", "sensitive": "要注意", "complaint": "苦情", "normal": "通常"},

	QueueEmpty:     "いま受付中のチャットはありません。",
	StateWaiting:   "待機中・残り %s",
	StateWaitingNo: "待機中",
	StateMine:      "あなたが対応中",
	StatePerson:    "%s が対応中",
	StateSim:       "%s が対応中（シミュレーション）",
	StateSimNone:   "シミュレーションのオペレーターが対応中",
	StateClosed:    "終了",
	RolePlay:       "［ロールプレイ］",
	ForTrainee:     "%s 向け",
	Waited:         "待ち %s",
	Refusals: map[string]string{
		"no_such_chat": "このチャットはもうありません", "not_waiting": "ほかの人が対応しています",
		"not_yours": "ほかの人のチャットです", "wrong_role": "あなたの役割ではできません",
		"no_language": "お客さまの言語に対応していません", "not_native": "お客さまはネイティブの担当者を希望しています",
		"no_skill": "あなたの担当分野ではありません", "full": "対応できる件数の上限です",
		"reserved": "ほかの人のために確保されています", "closed": "チャットは終了しています", "empty": "送る内容がありません",
		"unknown_fact": "確認できる項目ではありません", "no_such_person": "その人はサインインしていません",
		"signed_out": "サインアウトしています",
		"booked":     "このチャットではすでに折り返し電話を予約しています",
	},
	Refused:      "できません: %s。",
	Failed:       "できませんでした: %s",
	NoTopic:      "話題なし",
	ChatTitle:    "%s とのチャット",
	WatchTitle:   "%s を見学中",
	ReadOnly:     "閲覧のみ",
	Customer:     "お客さま",
	Bot:          "ボット",
	Joined:       "%s が参加",
	Left:         "%s が退出（%s）",
	Closed:       "チャット終了",
	CustomerLeft: "お客さまが退出しました。",
	ChatOver:     "このチャットは終了しています。",
	Awaiting:     "%s を確認中",
	PanelTitle:   "引き継ぎ情報とケース",
	Summary:      "要約",
	Reason:       "理由",
	Facts:        "情報",
	Issues:       "問題",
	Transfers:    "転送",
	TransferRow:  "%s → %s（%s）",
	TheQueue:     "待ち行列",

	SignedInElsewhere: "%s は別のセッションですでにサインインしています。そちらでサインアウト（q）してから、もう一度接続してください。",
	CannotOpen:        "オペレーター画面を開けません: %s",
	AnyKeyCloses:      "何かキーを押すと閉じます。",
	FactNames: map[string]string{"order_id": "注文番号", "item": "商品", "email": "メール", "phone": "電話番号",
		"amount": "金額", "customer": "お客さま"},
	AskTitle:       "お客さまに確認する項目:",
	Asked:          "お客さまに %s を確認しました。",
	KnownFact:      "引き継ぎ情報にすでにあります: %s — お客さまに繰り返させないでください。",
	TransferTitle:  "転送先:",
	TeamTitle:      "転送先のチーム:",
	Transferred:    "%s に転送しました。",
	NoColleague:    "（サインイン中の同僚はいません）",
	CallbackTitle:  "折り返し電話の予約: 電話番号",
	CallbackHint:   "空欄なら引き継ぎ情報の番号: %s",
	CallbackNone:   "なし",
	Booked:         "折り返し電話を予約しました。%s",
	CloseAsk:       "このチャットを終了しますか? y/n",
	ClosedDone:     "チャットを終了しました。",
	Placeholder:    "お客さまへの返信…",
	ScoreTitle:     "採点: %s",
	ScoreTotal:     "合計 %.1f / 100",
	ScoreCritical:  "重大な失敗（それまで %.1f）",
	ScoreFail:      "不合格",
	ScorePass:      "合格",
	CardError:      "採点表を保存できませんでした: %s",
	CardWaiting:    "研修生の採点表を待っています…",
	TranscriptNone: "まだ発言はありません。",

	NewPlayTitle:  "新しいロールプレイ",
	PickScenario:  "シナリオ",
	PickLang:      "言語",
	PickTrainee:   "研修生",
	NoTrainee:     "サインイン中の研修生がいません。",
	PlayTitle:     "ロールプレイ: %s — あなたはお客さま役です",
	You:           "あなた（お客さま役）",
	Suggestions:   "最初のメッセージ（tab で入力欄へ）:",
	PlayStarting:  "お客さまのチャットを始めています…",
	PlayBot:       "ボットと会話中",
	PlayQueue:     "待ち行列の %d 番目",
	PlayOperator:  "%s が対応中",
	PlayEnded:     "チャットは終了しました。",
	PlayFailed:    "ロールプレイを始められませんでした: %s",
	PlayEndAsk:    "お客さまとして退出しますか? y/n",
	PlayRunning:   "ロールプレイが続いています: p で戻ります",
	PlayEscalated: "担当者へ: %s",

	Help: map[string]string{
		"quit": "終了", "help": "キー一覧", "back": "戻る", "up": "上", "down": "下",
		"open": "対応 / 開く", "watch": "見学", "new": "新しいロールプレイ", "play": "ロールプレイへ",
		"send": "送信", "newline": "改行", "ask": "情報を確認", "transfer": "転送",
		"callback": "折り返し電話", "close": "終了", "scroll": "スクロール", "choose": "選択",
		"cancel": "取り消し", "suggest": "次の最初のメッセージ", "person": "担当者を呼ぶ",
		"end": "お客さまとして退出", "yes": "はい", "no": "いいえ",
	},
}

// ConsoleKeys are the operator console's bindings. On screens with a text
// box every action is a control key, so typing a reply never triggers one;
// the lists use letters.
type ConsoleKeys struct {
	Up, Down, Open, Watch, New, Play key.Binding
	Quit, QuitCtrl, Help, HelpF1     key.Binding
	Back                             key.Binding

	Send, Newline, ScrollUp, ScrollDown key.Binding
	Ask, Transfer, Callback, Close      key.Binding
	Suggest, Person, End                key.Binding
	Choose, Cancel, Yes, No             key.Binding
}

// NewConsoleKeys builds the bindings with help in the UI language.
func NewConsoleKeys(t *ConsoleStrings) ConsoleKeys {
	h := t.Help
	b := func(help, label string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, help))
	}
	return ConsoleKeys{
		Up:       b(h["up"], "↑/↓", "up", "k"),
		Down:     b(h["down"], "↓", "down", "j"),
		Open:     b(h["open"], "enter", "enter"),
		Watch:    b(h["watch"], "enter", "enter"),
		New:      b(h["new"], "n", "n"),
		Play:     b(h["play"], "p", "p"),
		Quit:     b(h["quit"], "q", "q", "ctrl+c"),
		QuitCtrl: b(h["quit"], "ctrl+c", "ctrl+c"),
		Help:     b(h["help"], "?", "?", "f1"),
		HelpF1:   b(h["help"], "f1", "f1"),
		Back:     b(h["back"], "esc", "esc"),

		Send:       b(h["send"], "enter", "enter"),
		Newline:    b(h["newline"], "alt+enter", "alt+enter", "ctrl+j"),
		ScrollUp:   b(h["scroll"], "pgup/pgdn", "pgup"),
		ScrollDown: b(h["scroll"], "pgdn", "pgdown"),
		Ask:        b(h["ask"], "ctrl+f", "ctrl+f"),
		Transfer:   b(h["transfer"], "ctrl+t", "ctrl+t"),
		Callback:   b(h["callback"], "ctrl+b", "ctrl+b"),
		Close:      b(h["close"], "ctrl+x", "ctrl+x"),
		Suggest:    b(h["suggest"], "tab", "tab"),
		Person:     b(h["person"], "ctrl+o", "ctrl+o"),
		End:        b(h["end"], "ctrl+x", "ctrl+x"),
		Choose:     b(h["choose"], "enter", "enter"),
		Cancel:     b(h["cancel"], "esc", "esc"),
		Yes:        b(h["yes"], "y", "y"),
		No:         b(h["no"], "n", "n", "esc"),
	}
}
