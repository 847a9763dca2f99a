package handoff

import (
	"strings"

	"tsunagu/bot"
)

// RulesKnowledge adapts the bot's rules (per-intent playbooks: the facts an
// operator needs and the resolution steps, in ja and en) to Knowledge.
//
// The rules write steps as an operator's checklist ("Approve the refund.",
// 「返金を承認する。」); simulated operators say them as what they are doing
// for the customer. Facts an operator looks up in the shop's systems (order
// status, tracking, dates) are never asked of the customer.
type RulesKnowledge struct {
	rules *bot.Rules
}

// NewRulesKnowledge wraps a loaded rules file.
func NewRulesKnowledge(r *bot.Rules) *RulesKnowledge { return &RulesKnowledge{rules: r} }

// Intents lists the intents an operator can be handed (greetings and
// goodbyes never reach one).
func (k *RulesKnowledge) Intents() []string {
	var out []string
	for _, name := range k.rules.IntentNames() {
		if name != "greeting" && name != "goodbye" {
			out = append(out, name)
		}
	}
	return out
}

// lookupFacts are found by the operator in the shop's systems, not asked.
var lookupFacts = map[string]bool{
	"order_status": true, "ship_date": true, "carrier_tracking": true, "refund_date": true, "open_orders": true,
	"points_balance": true, "membership_status": true, "renewal_date": true, "suspicious_orders": true,
	"last_known_login": true, "delivery_date": true, "intent_so_far": true,
}

// Playbook implements Knowledge.
func (k *RulesKnowledge) Playbook(intent, lang string) (Playbook, bool) {
	in, ok := k.rules.Intent(intent)
	if !ok {
		return Playbook{}, false
	}
	pb := Playbook{Problem: problemClause(intent, lang, in.In(lang).Label)}
	for _, f := range in.Playbook.Facts {
		if !lookupFacts[f] {
			pb.Needs = append(pb.Needs, f)
		}
	}
	// Steps that are asks (modelled by Needs) or guardrails ("Never ask for
	// the password") are for the operator's eyes only. The English list
	// decides, so both languages say the same steps.
	en, steps := in.Playbook.Steps.EN, in.Playbook.Steps.In(lang)
	var said []string
	for i, s := range steps {
		probe := s
		if len(en) == len(steps) {
			probe = en[i]
		}
		if !internalStep(probe) {
			said = append(said, s)
		}
	}
	for i, s := range said {
		pb.Steps = append(pb.Steps, operatorVoice(s, lang, i, len(said)))
	}
	return pb, true
}

func internalStep(s string) bool {
	s = strings.TrimSpace(s)
	for _, p := range []string{"Ask ", "Never ", "Don't ", "Do not "} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return strings.Contains(s, "聞かない") || strings.Contains(s, "尋ねる")
}

// politeEndings turn the checklist's dictionary-form verbs into what an
// operator says (です/ます form, VOICE.md).
var politeEndings = []struct{ plain, polite string }{
	{"する", "いたします"}, {"伝える", "お伝えします"}, {"送る", "お送りします"}, {"開く", "開きます"},
	{"直す", "直します"}, {"回す", "おつなぎします"}, {"伺う", "伺います"}, {"させる", "させます"},
}

// politeJa rewrites a step's final verb, keeping a trailing note in brackets.
func politeJa(step string) (string, bool) {
	step = strings.TrimSuffix(strings.TrimSpace(step), "。")
	note := ""
	if strings.HasSuffix(step, "）") {
		if i := strings.LastIndex(step, "（"); i > 0 {
			step, note = step[:i], step[i:]
		}
	}
	for _, e := range politeEndings {
		if strings.HasSuffix(step, e.plain) {
			return strings.TrimSuffix(step, e.plain) + e.polite + note, true
		}
	}
	return step + note, false
}

// operatorVoice turns a checklist step into what the operator tells the
// customer while doing it.
func operatorVoice(step, lang string, i, n int) string {
	step = strings.TrimSpace(step)
	if lang == "ja" {
		polite, ok := politeJa(step)
		if !ok {
			polite = "「" + polite + "」の手順で対応いたします"
		}
		switch {
		case i == 0:
			return "まず、" + polite + "。"
		case i == n-1:
			return "最後に、" + polite + "。"
		}
		return "次に、" + polite + "。"
	}
	step = strings.TrimSuffix(step, ".")
	body := "I'll " + lowerFirst(step, "en")
	// "If in transit, give the date." -> "if in transit, I'll give the date."
	if cond, rest, ok := strings.Cut(step, ", "); ok && strings.HasPrefix(step, "If ") {
		body = lowerFirst(cond, "en") + ", I'll " + rest
	}
	switch {
	case i == 0:
		return "First, " + body + "."
	case i == n-1:
		return "Finally, " + body + "."
	}
	return "Then, " + body + "."
}

// problemClauses restate the common cases the way the seed's customers
// describe them; other intents fall back to the rules' topic label.
var problemClauses = map[string][2]string{
	"get_refund":       {"you're waiting on a refund for {order}", "{order}の返金をお待ち"},
	"track_refund":     {"you're waiting on a refund for {order}", "{order}の返金をお待ち"},
	"track_order":      {"{order} hasn't arrived yet", "{order}の商品がまだ届いていない"},
	"delivery_period":  {"you'd like to know when {order} will arrive", "{order}のお届け時期のご確認"},
	"cancel_order":     {"you'd like to cancel {order}", "{order}のキャンセル"},
	"change_order":     {"you'd like to change {order}", "{order}の内容変更"},
	"product_problem":  {"{order} arrived with a problem", "{order}の商品に問題があった"},
	"return_item":      {"you'd like to return an item from {order}", "{order}の商品の返品"},
	"payment_issue":    {"there's a problem with the payment for {order}", "{order}のお支払いの問題"},
	"account_security": {"someone may have used your account without you", "アカウントが不正に使われた可能性がある"},
	"complaint":        {"you're unhappy with how we handled {order}", "{order}の対応へのご不満"},
	"membership":       {"you have a question about your membership", "会員サービスについてのご質問"},
	"recover_password": {"you can't sign in to your account", "アカウントにログインできない"},
}

func problemClause(intent, lang, label string) string {
	if c, ok := problemClauses[intent]; ok {
		if lang == "ja" {
			return c[1]
		}
		return c[0]
	}
	if lang == "ja" {
		return "「" + label + "」"
	}
	return "you need help with \"" + label + "\""
}
