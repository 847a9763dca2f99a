package handoff

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// StepKind is one kind of thing a simulated operator does.
type StepKind string

// Operator steps. Asking for a fact is its own step so that the invariant
// "never ask for a fact the packet holds" can be checked.
const (
	StepGreet      StepKind = "greet"       // first operator: name, handover from the bot, the problem restated
	StepHandover   StepKind = "handover"    // a later operator: acknowledges the transfer, restates the problem
	StepAsk        StepKind = "ask"         // asks for one missing fact (Step.Fact)
	StepRephrase   StepKind = "rephrase"    // basic level: asks the customer to say it more simply
	StepAck        StepKind = "ack"         // acknowledges a customer message
	StepResolve    StepKind = "resolve"     // one resolution step from the playbook
	StepOfferClose StepKind = "offer_close" // resolved; offers to close the chat
)

// Step is one operator action with the text the customer sees.
type Step struct {
	Kind StepKind `json:"kind"`
	Fact string   `json:"fact,omitempty"`
	Text string   `json:"text"`
}

// operatorBrain decides an operator's next step from the packet as it is at
// that moment. The sim and the desk share it.
type operatorBrain struct {
	op       *Operator
	lang     string // the customer's language: operators always write in it
	pb       Playbook
	known    bool // the playbook exists for the intent
	prevName string
	greeted  bool
	next     int // index of the next resolution step
	done     bool
	urgent   bool // the customer mentioned a deadline and the operator noticed
	back     bool // the operator takes back a chat they served before
}

func newBrain(op *Operator, p *Packet, kb Knowledge, prev *Operator) *operatorBrain {
	b := &operatorBrain{op: op, lang: p.Lang}
	if kb != nil {
		b.pb, b.known = kb.Playbook(p.Facts.Topic.Intent, p.Lang)
	}
	if prev != nil {
		b.prevName = prev.DisplayName(p.Lang)
	}
	// Native and fluent speakers pick up urgency already in the transcript.
	if op.Level(p.Lang) >= LevelFluent {
		for _, l := range p.Transcript {
			if l.Speaker == SpeakerCustomer && mentionsDeadline(l.Text) {
				b.urgent = true
			}
		}
	}
	return b
}

// Next returns the operator's next step, or false when done. It never
// returns an ask for a fact p already holds: asks are chosen here, against
// the packet as it is now.
func (b *operatorBrain) Next(p *Packet) (Step, bool) {
	if !b.greeted {
		b.greeted = true
		if b.back {
			return Step{Kind: StepHandover, Text: phrase(b.lang,
				"Sorry about the interruption, I'm back. Let's carry on from where we were.",
				"お待たせして申し訳ございません。引き続き私が対応いたします。")}, true
		}
		if b.prevName != "" {
			return Step{Kind: StepHandover, Text: b.handoverText(p)}, true
		}
		return Step{Kind: StepGreet, Text: b.greetText(p)}, true
	}
	for _, need := range b.pb.Needs {
		if !p.Facts.Has(need) {
			return Step{Kind: StepAsk, Fact: need, Text: askText(b.level(), b.lang, need)}, true
		}
	}
	if b.next < len(b.pb.Steps) {
		text := fill(b.pb.Steps[b.next], b.lang, &p.Facts)
		if b.level() == LevelBasic {
			text = withoutNotes(firstSentence(text))
		}
		b.next++
		return Step{Kind: StepResolve, Text: text}, true
	}
	if !b.done {
		b.done = true
		return Step{Kind: StepOfferClose, Text: pick(b.level(), b.lang, offerCloseTexts)}, true
	}
	return Step{}, false
}

func (b *operatorBrain) level() Level {
	lv := b.op.Level(b.lang)
	if lv == LevelNone {
		return LevelBasic
	}
	return lv
}

// Reply decides how the operator answers a customer message that is not the
// fact they asked for: a basic-level operator may ask for a rephrase of a long
// or idiomatic message (rephrase is the seeded coin); native and fluent
// speakers pick up urgency.
func (b *operatorBrain) Reply(text string, rephraseCoin bool) Step {
	if b.wouldRephrase(text, rephraseCoin) {
		return b.rephrase()
	}
	ack := pick(b.level(), b.lang, ackTexts)
	if b.level() >= LevelFluent && !b.urgent && mentionsDeadline(text) {
		b.urgent = true
		ack = pick(b.level(), b.lang, urgentTexts)
	}
	return Step{Kind: StepAck, Text: ack}
}

// wouldRephrase reports whether the operator asks the customer to say text
// again more simply: only at basic level, only when the seeded coin says so,
// and only for a long or idiomatic message.
func (b *operatorBrain) wouldRephrase(text string, coin bool) bool {
	return b.level() == LevelBasic && coin && hardToRead(text, b.lang)
}

func (b *operatorBrain) rephrase() Step {
	return Step{Kind: StepRephrase, Text: phrase(b.lang, "Sorry, could you say that again in simpler words?", "すみません、もう一度、簡単に教えてください。")}
}

func (b *operatorBrain) problem(p *Packet) string {
	if b.known && b.pb.Problem != "" {
		return fill(b.pb.Problem, b.lang, &p.Facts)
	}
	if b.lang == "ja" {
		return "お問い合わせ"
	}
	return "you need help with " + fill("{order}", "en", &p.Facts)
}

func (b *operatorBrain) greetText(p *Packet) string {
	name := b.op.DisplayName(b.lang)
	prob := b.problem(p)
	var s string
	switch {
	case b.lang == "ja" && b.level() == LevelNative:
		s = name + "と申します。アシスタントとのやり取りを拝見しました。" + prob + "の件ですね。"
	case b.lang == "ja" && b.level() == LevelFluent:
		s = "担当の" + name + "でございます。アシスタントとの会話を確認いたしました。" + prob + "の件でございますね。"
	case b.lang == "ja":
		s = name + "です。会話を読みました。" + prob + "の件ですね。"
	case b.level() == LevelNative:
		s = "Hi, I'm " + name + ". I've read your conversation with our assistant. " + upperFirst(prob) + "."
	case b.level() == LevelFluent:
		s = "Hello, my name is " + name + ". I have read your conversation with our assistant. " + upperFirst(prob) + "."
	default:
		s = "Hello, I am " + name + ". I read your chat. " + upperFirst(prob) + "."
	}
	if b.urgent {
		s += pick(b.level(), b.lang, urgentTexts)
	}
	return s
}

func (b *operatorBrain) handoverText(p *Packet) string {
	name := b.op.DisplayName(b.lang)
	prob := b.problem(p)
	switch {
	case b.lang == "ja" && b.level() == LevelBasic:
		return name + "です。" + b.prevName + "から引き継ぎました。" + prob + "の件、読みました。続けます。"
	case b.lang == "ja":
		return name + "と申します。前の担当の" + b.prevName + "から引き継ぎました。" + prob + "の件、内容は確認済みですので、続きから対応いたします。"
	case b.level() == LevelBasic:
		return "Hello, I am " + name + ". I take over from " + b.prevName + ". " + upperFirst(prob) + ". I read everything. We continue."
	}
	return "I'm " + name + " and I've taken over from " + b.prevName + ". " + upperFirst(prob) + ". I've read everything so far, so we'll carry on from where you left off."
}

// texts by level: basic, fluent, native.
type leveled map[string][3]string

func pick(lv Level, lang string, t leveled) string {
	i := 0
	switch lv {
	case LevelFluent:
		i = 1
	case LevelNative:
		i = 2
	}
	if lang != "ja" {
		lang = "en"
	}
	return t[lang][i]
}

var offerCloseTexts = leveled{
	"en": {"Any other question? If not, I close this chat.", "Is there anything else I can help you with? If not, I will close this chat.", "Is there anything else I can help with? If not, I'll close this chat."},
	"ja": {"ほかに質問はありますか。なければ、チャットを終わります。", "ほかにご不明な点はございますか。なければ、こちらのチャットを終了させていただきます。", "ほかにお手伝いできることはございますか。なければ、このチャットを終了いたします。"},
}

var ackTexts = leveled{
	"en": {"OK. Thank you.", "Thank you, I understand.", "Thanks, got it."},
	"ja": {"わかりました。ありがとうございます。", "かしこまりました。", "承知いたしました。"},
}

var urgentTexts = leveled{
	"en": {"", "I understand that it is urgent.", "I know you're short on time, so I'll keep this quick."},
	"ja": {"", "お急ぎとのこと、承知いたしました。", "お急ぎのところ申し訳ございません。"},
}

var askTextsByFact = map[string]leveled{
	FactOrderID: {
		"en": {"Please send the order number.", "Could you please tell me the order number?", "Could you tell me the order number?"},
		"ja": {"注文番号を送ってください。", "ご注文番号をお知らせいただけますでしょうか。", "恐れ入りますが、ご注文番号を教えていただけますか。"},
	},
	FactEmail: {
		"en": {"Please send your email address.", "Could you please tell me the email address on your account?", "Which email address is on your account?"},
		"ja": {"メールアドレスを送ってください。", "ご登録のメールアドレスをお知らせいただけますでしょうか。", "恐れ入りますが、ご登録のメールアドレスを教えていただけますか。"},
	},
	FactPhone: {
		"en": {"Please send your phone number.", "Could you please tell me your phone number?", "What's the best phone number to reach you on?"},
		"ja": {"電話番号を送ってください。", "お電話番号をお知らせいただけますでしょうか。", "恐れ入りますが、ご連絡先のお電話番号を教えていただけますか。"},
	},
	FactItem: {
		"en": {"Which item is it?", "Could you please tell me which item it is?", "Which item is this about?"},
		"ja": {"どの商品ですか。", "対象の商品をお知らせいただけますでしょうか。", "恐れ入りますが、どちらの商品か教えていただけますか。"},
	},
	FactAmount: {
		"en": {"How much is it?", "Could you please tell me the amount?", "How much was the charge?"},
		"ja": {"金額はいくらですか。", "金額をお知らせいただけますでしょうか。", "恐れ入りますが、金額を教えていただけますか。"},
	},
	FactCustomer: {
		"en": {"Please send your name.", "Could you please tell me your name?", "May I have your name, please?"},
		"ja": {"お名前を送ってください。", "お名前をお知らせいただけますでしょうか。", "恐れ入りますが、お名前を教えていただけますか。"},
	},
}

// factNames name the other facts the rules' playbooks need, for asks.
var factNames = map[string][2]string{
	"reason":                   {"reason", "理由"},
	"payment_method":           {"payment method you used", "お支払い方法"},
	"error_message":            {"error message you see", "表示されたエラーメッセージ"},
	"new_address":              {"new delivery address", "新しいお届け先"},
	"requested_change":         {"change you'd like", "ご希望の変更内容"},
	"field_to_change":          {"detail you'd like to change", "変更したい項目"},
	"items_wanted":             {"items you'd like", "ご希望の商品"},
	"problem_kind":             {"problem with the item", "商品の不具合の内容"},
	"photo":                    {"photo of the item", "商品の写真"},
	"preferred_outcome":        {"outcome you'd prefer (refund or replacement)", "ご希望の対応（返金・交換など）"},
	"desired_outcome":          {"outcome you'd like", "ご希望の対応"},
	"what_happened":            {"details of what happened", "起きたことの詳細"},
	"delivery_address_area":    {"area of the delivery address", "お届け先の地域"},
	"invoice_line_in_question": {"invoice line you're asking about", "確認したい請求明細"},
	"billing_name":             {"name for the invoice", "請求書の宛名"},
	"item_condition":           {"condition of the item", "商品の状態"},
}

func askText(lv Level, lang, fact string) string {
	if t, ok := askTextsByFact[fact]; ok {
		return pick(lv, lang, t)
	}
	name, ok := factNames[fact]
	if !ok {
		name = [2]string{strings.ReplaceAll(fact, "_", " "), strings.ReplaceAll(fact, "_", " ")}
	}
	switch {
	case lang == "ja" && lv == LevelBasic:
		return name[1] + "を教えてください。"
	case lang == "ja":
		return "恐れ入りますが、" + name[1] + "を教えていただけますか。"
	case lv == LevelBasic:
		return "Please tell me the " + name[0] + "."
	}
	return "Could you tell me the " + name[0] + "?"
}

func phrase(lang, en, ja string) string {
	if lang == "ja" {
		return ja
	}
	return en
}

func lowerFirst(s, lang string) string {
	if lang == "ja" || s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	if r >= 'A' && r <= 'Z' && !(len(s) > n && s[n] >= 'A' && s[n] <= 'Z') {
		return string(r+('a'-'A')) + s[n:]
	}
	return s
}

// firstSentence keeps a step short for a basic-level operator.
func firstSentence(s string) string {
	for i, r := range s {
		switch r {
		case '。', '!', '?', '！', '？':
			return s[:i+utf8.RuneLen(r)]
		case '.':
			if i+1 == len(s) || s[i+1] == ' ' {
				return s[:i+1]
			}
		}
	}
	return s
}

// withoutNotes drops bracketed asides, which a basic-level writer leaves out.
func withoutNotes(s string) string {
	for _, br := range [][2]string{{"（", "）"}, {" (", ")"}} {
		for {
			i := strings.Index(s, br[0])
			if i < 0 {
				break
			}
			j := strings.Index(s[i:], br[1])
			if j < 0 {
				break
			}
			s = s[:i] + s[i+j+len(br[1]):]
		}
	}
	return s
}

var deadlineWords = []string{"急ぎ", "至急", "今日中", "明日まで", "間に合", "早急", "urgent", "asap", "deadline", "in a hurry", "by tomorrow", "as soon as possible", "right away"}

// deadlineRE catches a date the customer needs something by: "before
// Friday", "by the weekend", 「金曜日までに」.
var deadlineRE = regexp.MustCompile(`\b(by|before|until|for)\s+(mon|tues|wednes|thurs|fri|satur|sun)day\b|\bby (tonight|tomorrow|the weekend|next week|the \d+)|\bneed (it|this|them) by\b|(月|火|水|木|金|土|日)曜(日)?(まで|中)|週末まで|日までに`)

func mentionsDeadline(s string) bool {
	low := strings.ToLower(s)
	for _, w := range deadlineWords {
		if strings.Contains(low, w) {
			return true
		}
	}
	return deadlineRE.MatchString(low)
}
