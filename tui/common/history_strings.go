package common

// HistoryStrings holds the history browser's UI strings in one language
// (see Strings). What it says as the chat does (an operator joined or left,
// the bot's label, why a person took over) and the keys' help are in
// Strings.
type HistoryStrings struct {
	Title         string
	Opening       string
	Empty         string
	EmptyHint     string
	NoMatch       string
	Loading       string
	Rows          string // %d rows known, "+" appended while more may follow
	RowsAll       string // %d rows
	SearchPrompt  string
	SearchHits    string // %d shown, %d total
	SearchNone    string // %s query
	Searching     string
	FilterOn      string // %s the active filters
	ReadOnly      string // %s the reason
	InUse         string // %s the store error
	Corrupt       string // %s the store error
	OpenFailed    string // %s the store error
	RetryHint     string
	Columns       [7]string // when, topic, order, channel, handled by, status, problem
	ColumnsShort  [7]string // the same, for narrow terminals
	BotOnly       string
	NoOperator    string
	Status        map[string]string
	Channel       map[string]string
	Marked        string // %d marked rows
	FilterTitle   string
	FilterStatus  string
	FilterTopic   string
	FilterFrom    string
	FilterTo      string
	FilterEsc     string
	FilterLow     string
	FilterAll     string
	FilterHint    string
	FilterBadDate string // %s the field
	Yes           string
	No            string

	ExportTitle  string // %d conversations
	ExportHint   string
	ExportDone   string // %s path
	ExportFailed string // %s error
	CopyDone     string // %d characters
	DeleteTitle  string
	DeleteAsk    string // %s id, %s when, %s topic
	DeleteNote   string
	DeleteHint   string
	Deleting     string
	DeleteDone   string // %s id
	DeleteFailed string // %s error
	DeleteRO     string
	ResumeAsked  string // %s id

	ConvTitle    string // %s id
	ConvMeta     string // %s when, %s customer, %s order, %s topic, %s channel, %s status
	HitOf        string // %d current hit, %d hits
	NoHits       string
	PanelPacket  string
	PanelBot     string
	BotTurns     string
	BotNoTurns   string
	EvEscalated  string // %s reason
	EvQueue      string // %d position
	EvTransfer   string // %s operator
	EvCallback   string // %s time
	EvRating     string // %s stage, %d stars
	EvClosed     string
	EvOther      string // %s event name
	StageBot     string
	StageOp      string
	LoadFailed   string // %s error
	CustomerWord string
}

// HistoryText returns the history strings for lang ("ja", or English).
func HistoryText(lang string) *HistoryStrings {
	if lang == "ja" {
		return &historyJA
	}
	return &historyEN
}

var historyEN = HistoryStrings{
	Title:         "tsunagu · history",
	Opening:       "Opening the conversation store…",
	Empty:         "No conversations yet.",
	EmptyHint:     "Conversations appear here after a chat (run tsunagu) or an import (tsunagu history import FILE).",
	NoMatch:       "No conversation matches the filters.",
	Loading:       "loading…",
	Rows:          "%d+ conversations",
	RowsAll:       "%d conversations",
	SearchPrompt:  "Search: ",
	SearchHits:    "%d of %d matches",
	SearchNone:    "Nothing matches “%s”.",
	Searching:     "searching…",
	FilterOn:      "Filters: %s",
	ReadOnly:      "Read-only: %s. Deleting is off.",
	InUse:         "History cannot open the store: %s. Close the running chat, then press r to retry.",
	Corrupt:       "%s",
	OpenFailed:    "History cannot open the store: %s",
	RetryHint:     "r retry · ctrl+c quit",
	Columns:       [7]string{"When", "Topic", "Order", "Channel", "Handled by", "Status", "Problem"},
	ColumnsShort:  [7]string{"When", "Topic", "Order", "Via", "By", "Status", "Problem"},
	BotOnly:       "bot only",
	NoOperator:    "no one yet",
	Status:        map[string]string{"open": "open", "escalated": "escalated", "closed": "closed", "abandoned": "abandoned"},
	Channel:       map[string]string{"chat": "chat", "callback": "phone", "phone": "phone"},
	Marked:        "%d marked",
	FilterTitle:   "Filters",
	FilterStatus:  "Status",
	FilterTopic:   "Topic (prefix)",
	FilterFrom:    "From (YYYY-MM-DD)",
	FilterTo:      "To (YYYY-MM-DD)",
	FilterEsc:     "Escalated only",
	FilterLow:     "Rated 2 or less",
	FilterAll:     "all",
	FilterHint:    "↑/↓ field · ←/→ or space change · type dates and topic · enter apply · ctrl+r reset · esc cancel",
	FilterBadDate: "%s is not a day like 2026-11-26.",
	Yes:           "yes",
	No:            "no",

	ExportTitle:  "Export %d conversation(s) as:",
	ExportHint:   "m Markdown · j JSON · l JSON Lines · esc cancel",
	ExportDone:   "Exported to %s",
	ExportFailed: "Export failed: %s",
	CopyDone:     "Copied %d characters of plain text to the clipboard (OSC 52).",
	DeleteTitle:  "Delete this conversation?",
	DeleteAsk:    "%s · %s · %s",
	DeleteNote:   "It is removed for good, and its text is wiped from the file (the store is compacted).",
	DeleteHint:   "y delete · n or esc keep it",
	Deleting:     "Deleting and compacting…",
	DeleteDone:   "Deleted %s.",
	DeleteFailed: "Delete failed: %s",
	DeleteRO:     "The store is read-only, so nothing can be deleted.",
	ResumeAsked:  "Resuming %s in the chat…",

	ConvTitle:    "Conversation %s",
	ConvMeta:     "%s · %s · order %s · %s · %s · %s",
	HitOf:        "hit %d of %d (n/N)",
	NoHits:       "no hits in this conversation",
	PanelPacket:  "Handoff packet",
	PanelBot:     "The bot's decisions",
	BotTurns:     "turn",
	BotNoTurns:   "The bot made no decisions here.",
	EvEscalated:  "handed to a person: %s",
	EvQueue:      "in the queue, position %d",
	EvTransfer:   "transferred to %s",
	EvCallback:   "phone callback booked for %s",
	EvRating:     "rated the %s %d/5",
	EvClosed:     "conversation closed",
	EvOther:      "event: %s",
	StageBot:     "assistant",
	StageOp:      "operator",
	LoadFailed:   "Could not load: %s",
	CustomerWord: "customer",
}

var historyJA = HistoryStrings{
	Title:         "つなぐ・履歴",
	Opening:       "会話の保存先を開いています…",
	Empty:         "まだ会話はありません。",
	EmptyHint:     "チャット（tsunagu）や取り込み（tsunagu history import FILE）のあと、ここに表示されます。",
	NoMatch:       "条件に合う会話はありません。",
	Loading:       "読み込み中…",
	Rows:          "%d件以上",
	RowsAll:       "%d件",
	SearchPrompt:  "検索: ",
	SearchHits:    "%d件表示／全%d件",
	SearchNone:    "「%s」に一致する会話はありません。",
	Searching:     "検索中…",
	FilterOn:      "絞り込み: %s",
	ReadOnly:      "読み取り専用: %s。削除はできません。",
	InUse:         "履歴を開けません: %s。実行中のチャットを閉じてから r で再試行してください。",
	Corrupt:       "%s",
	OpenFailed:    "履歴を開けません: %s",
	RetryHint:     "r 再試行・ctrl+c 終了",
	Columns:       [7]string{"日時", "内容", "注文", "窓口", "対応", "状態", "お問い合わせ"},
	ColumnsShort:  [7]string{"日時", "内容", "注文", "窓口", "対応", "状態", "問い合わせ"},
	BotOnly:       "ボットのみ",
	NoOperator:    "未対応",
	Status:        map[string]string{"open": "対応中", "escalated": "引継ぎ", "closed": "完了", "abandoned": "離脱"},
	Channel:       map[string]string{"chat": "チャット", "callback": "電話", "phone": "電話"},
	Marked:        "%d件選択",
	FilterTitle:   "絞り込み",
	FilterStatus:  "状態",
	FilterTopic:   "内容（前方一致）",
	FilterFrom:    "開始日（YYYY-MM-DD）",
	FilterTo:      "終了日（YYYY-MM-DD）",
	FilterEsc:     "担当者に引継いだもの",
	FilterLow:     "評価2以下",
	FilterAll:     "すべて",
	FilterHint:    "↑/↓ 項目・←/→ または space 変更・日付と内容は入力・enter 適用・ctrl+r 解除・esc 取消",
	FilterBadDate: "%s は 2026-11-26 のような日付ではありません。",
	Yes:           "はい",
	No:            "いいえ",

	ExportTitle:  "%d件の会話を書き出す形式:",
	ExportHint:   "m Markdown・j JSON・l JSON Lines・esc 取消",
	ExportDone:   "%s に書き出しました",
	ExportFailed: "書き出せませんでした: %s",
	CopyDone:     "%d文字のテキストをクリップボードにコピーしました（OSC 52）。",
	DeleteTitle:  "この会話を削除しますか？",
	DeleteAsk:    "%s・%s・%s",
	DeleteNote:   "完全に削除され、本文はファイルからも消去されます（保存先を詰め直します）。",
	DeleteHint:   "y 削除・n または esc 残す",
	Deleting:     "削除して詰め直しています…",
	DeleteDone:   "%s を削除しました。",
	DeleteFailed: "削除できませんでした: %s",
	DeleteRO:     "読み取り専用のため削除できません。",
	ResumeAsked:  "%s をチャットで再開します…",

	ConvTitle:    "会話 %s",
	ConvMeta:     "%s・%s・注文 %s・%s・%s・%s",
	HitOf:        "一致 %d／%d（n/N）",
	NoHits:       "この会話に一致箇所はありません",
	PanelPacket:  "引き継ぎ内容",
	PanelBot:     "ボットの判断",
	BotTurns:     "回",
	BotNoTurns:   "ボットの判断はありません。",
	EvEscalated:  "担当者に引き継ぎ: %s",
	EvQueue:      "順番待ち %d番目",
	EvTransfer:   "%s へ引き継ぎました",
	EvCallback:   "折り返し電話を %s に予約",
	EvRating:     "%sの評価 %d/5",
	EvClosed:     "会話を終了しました",
	EvOther:      "イベント: %s",
	StageBot:     "アシスタント",
	StageOp:      "担当者",
	LoadFailed:   "読み込めませんでした: %s",
	CustomerWord: "お客様",
}
