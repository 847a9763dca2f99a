package training

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"tsunagu/handoff"
	"tsunagu/transcripts"
)

// Facts a trainee can ask for, beyond the handoff package's slot facts.
const (
	// FactProblem is what the case is about: always in the packet, so "How
	// can I help you today?" after a handover restarts the customer from zero.
	FactProblem = "problem"
)

// Signals is what one trainee line does, as the customer and the scorecard
// see it. Each cue field holds the phrase that matched ("" when none), so the
// scorecard can explain itself.
type Signals struct {
	Apology     string
	Empathy     string
	Acknowledge string
	// AskedKnown are the facts the line asks for that the packet already holds.
	AskedKnown []string
	// AskedMissing are the facts the line asks for that the packet lacks
	// (asking for those is right).
	AskedMissing []string
	// Card is why the line exposes card data ("" when it does not): a card
	// number typed into the chat, or a request for card details or a password.
	Card   string
	Banned string
	// Complex says why the line is hard for a non-native speaker to follow
	// ("" when it is plain): a very long sentence, an idiom, stacked keigo.
	Complex string
	// Steps are the ids of the scenario's resolution steps the line gives.
	Steps []string
	// Matches are the indexes of the scenario's when: match rules that fire.
	Matches []int
}

// phraseBook holds the built-in cue lists per language (VOICE.md's trainee
// scoring cues, and common contact-centre phrasing).
type phraseBook struct {
	apology, empathy, acknowledge  compiledCues
	request, negation, alternative compiledCues
	cardAsk                        compiledCues
	banned                         compiledCues
	cannot                         compiledCues
	facts                          map[string]compiledCues
	problemAsk                     compiledCues
	// problemAskBare restart a chat even without a question mark.
	problemAskBare compiledCues
	// hard are idioms and stacked honorifics that lose a non-native reader.
	hard compiledCues
}

var phrases = map[string]*phraseBook{
	"en": {
		apology:     compileCues([]string{"sorry", "apologise", "apologize", "apologies", "my apologies"}),
		empathy:     compileCues([]string{"i understand", "i can understand", "i can imagine", "that must be", "must have been", "frustrating", "i hear you", "i see how", "upsetting", "worrying", "stressful", "inconvenience", "i know how"}),
		acknowledge: compileCues([]string{"taken over", "take over", "taking over", "read your conversation", "read the conversation", "read through", "i ve read", "i have read", "our assistant", "the assistant", "the bot", "i can see", "i see that", "i see you", "from your chat", "you told", "you mentioned", "handed over", "passed to me", "passed on to me"}),
		request:     compileCues([]string{"could you", "can you", "would you", "please explain", "please describe", "explain again", "tell me again", "please give", "please tell", "please provide", "please send", "please share", "please confirm", "please enter", "please type", "what is your", "what s your", "whats your", "what was your", "may i have", "can i have", "could i have", "i need your", "i ll need your", "i will need your", "tell me your", "give me your", "send me your", "provide your", "share your", "confirm your", "which order", "which item", "what did you order"}),
		negation:    compileCues([]string{"never", "do not", "don t", "dont", "won t ever", "will not ask", "won t ask", "wont ask", "no need to", "not share", "not send"}),
		alternative: compileCues([]string{"but", "instead", "however", "what i can", "i can", "alternative", "option", "another way", "what we can"}),
		cardAsk:     compileCues([]string{"card number", "full card", "credit card number", "cvv", "cvc", "security code", "expiry date", "expiration date", "password", "pin code", "your pin"}),
		banned:      compileCues([]string{"your fault", "you should have", "you should ve", "you failed to", "you didn t read", "you didnt read", "not my problem", "not my job", "calm down", "as i already said", "as i said before", "i already told you", "nothing i can do", "i guarantee", "guaranteed", "i promise", "100 percent", "shut up", "deal with it", "read the faq"}),
		cannot:      compileCues([]string{"can t", "cant", "cannot", "unable to", "not possible", "impossible"}),
		facts: map[string]compiledCues{
			handoff.FactOrderID:  compileCues([]string{"order number", "order id", "order no", "order #", "which order", "order reference"}),
			handoff.FactItem:     compileCues([]string{"which item", "what item", "which product", "what product", "what did you order", "what you ordered"}),
			handoff.FactCustomer: compileCues([]string{"your name", "your full name", "account number", "account id", "customer number", "customer id", "member number", "membership number"}),
			handoff.FactEmail:    compileCues([]string{"email address", "your email", "e mail"}),
			handoff.FactPhone:    compileCues([]string{"phone number", "your number", "telephone number", "mobile number", "contact number"}),
		},
		hard: compileCues([]string{"bear with me", "hang tight", "touch base", "get back to you", "sort it out", "sort this out",
			"on the same page", "ballpark", "in a nutshell", "heads up", "loop you in", "circle back", "at your earliest convenience",
			"we apologise for any inconvenience caused", "we apologize for any inconvenience caused", "rest assured"}),
		problemAskBare: compileCues([]string{"how can i help", "how may i help", "how can i assist", "how may i assist", "what can i do for you"}),
		problemAsk:     compileCues([]string{"how can i help", "how may i help", "how can i assist", "how may i assist", "what can i do for you", "what seems to be", "what is the problem", "what s the problem", "whats the problem", "what is the issue", "what s the issue", "whats the issue", "what happened", "what is your question", "describe the problem", "describe the issue", "describe your issue", "explain the problem", "explain your issue", "start from the beginning", "from the beginning"}),
	},
	"ja": {
		apology:     compileCues([]string{"申し訳", "すみません", "すいません", "失礼いたしました", "お詫び", "ごめんなさい"}),
		empathy:     compileCues([]string{"ご不便", "ご心配", "お困り", "お気持ち", "ご迷惑", "お急ぎのところ", "大変でしたね", "ご不安", "ご不快", "お手数", "残念", "心中お察し", "ごもっとも"}),
		acknowledge: compileCues([]string{"引き継", "拝見", "やり取りを確認", "やりとりを確認", "内容は確認", "内容を確認しました", "アシスタント", "ボット", "伺っております", "承知しております", "お聞きしております", "確認いたしました", "確認しました"}),
		request:     compileCues([]string{"教えて", "お知らせ", "ご提示", "お伺い", "伺って", "伺えます", "お聞かせ", "ご入力", "入力して", "お送りいただけ", "送って", "いただけますか", "頂けますか", "くださいますか", "でしょうか", "ください", "下さい", "お願いします", "お願いいたします"}),
		negation:    compileCues([]string{"決して", "絶対に", "しないで", "ないでください", "お伺いすることはありません", "お聞きすることはありません", "伺うことはございません", "お伝えにならない", "教えないで", "必要はありません", "必要はございません", "ご不要"}),
		alternative: compileCues([]string{"代わりに", "かわりに", "ただし", "ですが", "その代わり", "方法", "ご案内", "できます", "可能です", "いかがでしょう", "いたします"}),
		cardAsk:     compileCues([]string{"カード番号", "クレジットカードの番号", "セキュリティコード", "有効期限", "パスワード", "暗証番号", "cvv"}),
		banned:      compileCues([]string{"お客様のせい", "お客様の責任", "お客様の不注意", "落ち着いてください", "先ほども申し上げ", "何度も申し上げ", "私の担当ではない", "私には関係", "どうしようもありません", "必ず返金", "保証します", "お約束します", "faqをご覧", "自分で調べて"}),
		cannot:      compileCues([]string{"できません", "できかねます", "出来ません", "不可能です", "いたしかねます"}),
		facts: map[string]compiledCues{
			handoff.FactOrderID:  compileCues([]string{"注文番号", "オーダー番号", "どのご注文", "どの注文", "注文id"}),
			handoff.FactItem:     compileCues([]string{"どの商品", "何をご注文", "何を注文", "商品名"}),
			handoff.FactCustomer: compileCues([]string{"お名前", "氏名", "アカウント番号", "アカウントid", "会員番号", "お客様番号"}),
			handoff.FactEmail:    compileCues([]string{"メールアドレス", "メアド"}),
			handoff.FactPhone:    compileCues([]string{"電話番号", "携帯番号", "連絡先"}),
		},
		hard: compileCues([]string{"させていただきますので", "させていただいております", "おっしゃられ", "拝見させていただ", "ご拝読",
			"お伺いさせていただ", "させていただければ幸い", "ご査収", "何卒", "鋭意", "善処"}),
		problemAskBare: compileCues([]string{"どのようなご用件", "いかがなさいましたか", "どうされましたか", "どうなさいましたか"}),
		problemAsk:     compileCues([]string{"ご用件", "どうされましたか", "どうなさいましたか", "どのようなお問い合わせ", "お問い合わせ内容を", "何かお困り", "どのようなことでお困り", "最初から", "はじめから", "初めから", "何があったか", "何がありましたか"}),
	},
}

func book(lang string) *phraseBook {
	if b, ok := phrases[lang]; ok {
		return b
	}
	return phrases["en"]
}

// factOrder fixes the order in which asked-for facts are reported.
var factOrder = []string{FactProblem, handoff.FactOrderID, handoff.FactItem, handoff.FactCustomer, handoff.FactEmail, handoff.FactPhone}

// Read works out what a trainee line does, given the packet the trainee
// holds and the scenario's own cues.
func Read(line, lang string, p *handoff.Packet, sc *Scenario) Signals {
	b := book(lang)
	n := normalise(line)
	var sig Signals
	sig.Apology = b.apology.first(n)
	sig.Empathy = b.empathy.first(n)
	sig.Acknowledge = b.acknowledge.first(n)
	if sig.Acknowledge == "" && p != nil {
		// Restating the case counts as acknowledging the handover.
		for _, v := range []string{p.Facts.Value(handoff.FactOrderID), p.Facts.Value(handoff.FactItem)} {
			if v != "" && strings.Contains(line, v) {
				sig.Acknowledge = v
				break
			}
		}
	}
	negated := b.negation.any(n)
	asking := strings.ContainsAny(line, "?？") || b.request.any(n)
	if masked := transcripts.MaskCards(line); masked != line {
		sig.Card = "a card number in the message"
	} else if asking && !negated {
		sig.Card = b.cardAsk.first(n)
	}
	if asking && !negated {
		for _, fact := range factOrder {
			var hit string
			if fact == FactProblem {
				hit = b.problemAsk.first(n)
			} else {
				hit = b.facts[fact].first(n)
			}
			if hit == "" {
				continue
			}
			known := fact == FactProblem || (p != nil && p.Facts.Has(fact))
			// Restating the value ("order 250-… is on its way") is not asking for it.
			if known && fact != FactProblem && p != nil && strings.Contains(line, p.Facts.Value(fact)) {
				continue
			}
			if known {
				sig.AskedKnown = append(sig.AskedKnown, fact)
			} else {
				sig.AskedMissing = append(sig.AskedMissing, fact)
			}
		}
	} else if hit := b.problemAskBare.first(n); hit != "" && !negated {
		// "How can I help you today." needs no question mark to restart a chat.
		sig.AskedKnown = append(sig.AskedKnown, FactProblem)
	}
	sig.Complex = hardToFollow(line, lang, b, n)
	sig.Banned = b.banned.first(n)
	if sig.Banned == "" {
		if c := b.cannot.first(n); c != "" && !b.alternative.any(normalise(strings.Replace(n.text, c, " ", 1))) && !strings.Contains(line, "が、") {
			sig.Banned = c
		}
	}
	if sc != nil {
		for _, st := range sc.Resolution.Steps {
			if compileCues(st.Cues.In(lang)).any(n) {
				sig.Steps = append(sig.Steps, st.ID)
			}
		}
		for i, r := range sc.Reactions {
			if r.When == WhenMatch && compileCues(r.Match.In(lang)).any(n) {
				sig.Matches = append(sig.Matches, i)
			}
		}
	}
	return sig
}

// Sentence limits for a reader in their second language: words for English,
// characters for Japanese.
const (
	maxPlainWords = 22
	maxPlainRunes = 60
)

// hardToFollow says why a line would lose a non-native reader, or "".
func hardToFollow(line, lang string, b *phraseBook, n normalised) string {
	if hit := b.hard.first(n); hit != "" {
		return hit
	}
	if lang == "ja" {
		for _, s := range strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune("。！？!?\n", r) }) {
			if c := utf8.RuneCountInString(strings.TrimSpace(s)); c > maxPlainRunes {
				return fmt.Sprintf("一文が%d文字", c)
			}
		}
		return ""
	}
	for _, s := range strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(".!?;\n", r) }) {
		if w := len(strings.Fields(s)); w > maxPlainWords {
			return fmt.Sprintf("a %d-word sentence", w)
		}
	}
	return ""
}
