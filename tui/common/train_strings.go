package common

// TrainStrings holds the trainee app's UI strings in one language (see
// Strings). What it says as the customer app does (the trainee's own label,
// the bot's label, "terminal too small") and the keys' help are in Strings.
type TrainStrings struct {
	Title   string // the window title
	Loading string // while the bot is trained
	Saving  string // while the scorecard is stored
	Pick    string // the scenario list's title

	// Nothing lost.
	StoreBusy     string // the store's error follows
	StoreBusyKeys string
	EndAsk        string // Ctrl+C mid-session asks first
	NotSaved      string // %s the error

	// The session.
	HandedToYou     string // the reason follows
	TransferredTo   string // the team follows
	CallbackBooked  string // the number and time follow
	ChatClosed      string
	BotStillTalking string
	RealClock       string
	Mood            string // the meter follows
	Paused          string // after the clock
	TransferTo      string // the teams follow
	TransferCancel  string // after the teams
	StepsGiven      string // %d given, %d in all
	WaitingHandover string

	// The scorecard.
	ScoreTitle     string // the scenario's title follows
	Score          string
	CriticalFailed string // %.1f the score before the failure
	ScoreMood      string // %d mood
	Pass           string // a critical item passed, padded to the points' width
	Fail           string // a critical item failed, padded likewise

	// The escalation drill.
	DrillTitle    string
	DrillScore    string // %d points, %d possible
	DrillFinished string // %d points, %d possible
	DrillQuit     string
	DrillMessage  string
	DrillSoFar    string // before the earlier turns of a multi-turn item
	DrillBot      string // labels the bot's earlier replies
	DrillThen     string // before the message to decide on, after the history
	DrillRight    string
	DrillWrong    string // what the bot would do follows
	DrillRules    string // the rules follow
	DrillNext     string
	DrillWhy      string
	DrillBack     string
	DrillAsk      string
	DrillThenWhy  string            // after "escalate"
	Actions       map[string]string // the bot's actions: answer, clarify, escalate
}

// TrainText returns the trainee strings for lang ("ja", or English).
func TrainText(lang string) *TrainStrings {
	if lang == "ja" {
		return &trainJA
	}
	return &trainEN
}

var trainEN = TrainStrings{
	Title:   "tsunagu trainee mode",
	Loading: "Getting the bot ready…",
	Saving:  "Saving the scorecard…",
	Pick:    "Trainee mode: pick a scenario",

	StoreBusy:     "The session cannot start yet: the store is in use. ",
	StoreBusyKeys: "r: wait and try again · q: quit",
	EndAsk:        "End the session? y/n  (y scores and saves it, n goes back)",
	NotSaved:      "Not saved: %s. r tries again; if you quit, the scorecard is kept in a recovery file.",

	HandedToYou:     "Handed over to you: ",
	TransferredTo:   "Transferred to ",
	CallbackBooked:  "Callback booked: ",
	ChatClosed:      "Chat closed",
	BotStillTalking: "The bot is still talking; the packet arrives in a moment.",
	RealClock:       "The clock runs in real time; just wait.",
	Mood:            "Mood ",
	Paused:          " (paused)",
	TransferTo:      "Transfer to: ",
	TransferCancel:  "  (esc cancels)",
	StepsGiven:      "Steps given: %d/%d",
	WaitingHandover: "Waiting for the bot to hand over…",

	ScoreTitle:     "Scorecard: ",
	Score:          "Score",
	CriticalFailed: "  (critical failure; %.1f before it)",
	ScoreMood:      " · mood %d",
	Pass:           "pass    ",
	Fail:           "FAIL    ",

	DrillTitle:    "Escalation drill",
	DrillScore:    "score %d/%d",
	DrillFinished: "Finished: %d of %d points.",
	DrillQuit:     "ctrl+c quit",
	DrillMessage:  "The customer writes:",
	DrillSoFar:    "The chat so far:",
	DrillBot:      "bot: ",
	DrillThen:     "Then the customer writes:",
	DrillRight:    "✓ Right.",
	DrillWrong:    "✗ The bot would: ",
	DrillRules:    "Rules fired: ",
	DrillNext:     "enter: next message",
	DrillWhy:      "Why escalate?",
	DrillBack:     "esc: back",
	DrillAsk:      "What should the bot do?",
	DrillThenWhy:  " (then say why)",
	Actions:       map[string]string{"answer": "answer", "clarify": "clarify", "escalate": "escalate"},
}

var trainJA = TrainStrings{
	Title:   "tsunagu 研修モード",
	Loading: "ボットを準備しています…",
	Saving:  "スコアカードを保存しています…",
	Pick:    "研修モード：シナリオを選んでください",

	StoreBusy:     "まだ開始できません。会話ストアが使用中です。",
	StoreBusyKeys: "r：待って再試行 · q：終了",
	EndAsk:        "セッションを終了しますか？ y/n（y で採点して保存、n で戻る）",
	NotSaved:      "保存できませんでした：%s。r で再試行します。終了するとスコアカードは復旧用ファイルに残ります。",

	HandedToYou:     "あなたに引き継がれました：",
	TransferredTo:   "転送：",
	CallbackBooked:  "折り返し予約：",
	ChatClosed:      "対応を終了しました",
	BotStillTalking: "ボットが対応中です。まもなく引き継ぎ資料が届きます。",
	RealClock:       "時計は実時間で進んでいます。そのままお待ちください。",
	Mood:            "気分 ",
	Paused:          "（停止中）",
	TransferTo:      "転送先：",
	TransferCancel:  "  （esc で取消）",
	StepsGiven:      "案内した手順：%d/%d",
	WaitingHandover: "ボットからの引き継ぎを待っています…",

	ScoreTitle:     "スコアカード：",
	Score:          "得点",
	CriticalFailed: "  （重大項目で不合格。それ以前は %.1f）",
	ScoreMood:      " · 気分 %d",
	Pass:           "合格    ",
	Fail:           "不合格  ",

	DrillTitle:    "エスカレーション判断ドリル",
	DrillScore:    "得点 %d/%d",
	DrillFinished: "終了：%d / %d 点",
	DrillQuit:     "ctrl+c 終了",
	DrillMessage:  "お客様のメッセージ：",
	DrillSoFar:    "これまでのやり取り：",
	DrillBot:      "ボット：",
	DrillThen:     "続けてお客様のメッセージ：",
	DrillRight:    "✓ 正解です。",
	DrillWrong:    "✗ ボットの判断：",
	DrillRules:    "発火したルール：",
	DrillNext:     "enter：次のメッセージ",
	DrillWhy:      "エスカレーションの理由は？",
	DrillBack:     "esc：戻る",
	DrillAsk:      "ボットはどうすべき？",
	DrillThenWhy:  "（理由も選ぶ）",
	Actions:       map[string]string{"answer": "回答", "clarify": "確認", "escalate": "エスカレーション"},
}
