package training

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"tsunagu/bot"
	"tsunagu/bot/yamlfile"
	"tsunagu/handoff"
	"tsunagu/transcripts"
)

// FromConversation turns a stored conversation into a scenario file (YAML)
// that replays it: the customer's messages up to the escalation become the
// opening to the bot, the escalation reason picks the persona and the routing,
// and the topic gives generic resolution steps for a trainer to sharpen. The
// result passes Load.
func FromConversation(c transcripts.Conversation) ([]byte, error) {
	lang := c.Lang
	if lang != "ja" {
		lang = "en"
	}
	var opening []string
	var reason bot.Reason
	var packet *handoff.Packet
	intent := ""
	for _, e := range c.Entries {
		if e.Role == transcripts.RoleSystem && e.Event == transcripts.EventEscalated {
			if e.Meta != nil {
				reason = bot.Reason(e.Meta.Reason)
				if len(e.Meta.Packet) > 0 {
					if p, err := handoff.DecodePacket(e.Meta.Packet); err == nil {
						packet = p
					}
				}
			}
			break
		}
		if e.Role == transcripts.RoleOperator {
			break
		}
		if e.Role == transcripts.RoleCustomer && strings.TrimSpace(e.Text) != "" {
			opening = append(opening, e.Text)
		}
		if e.Role == transcripts.RoleBot && e.Meta != nil && e.Meta.Intent != "" {
			intent = e.Meta.Intent
			if e.Meta.Action == string(bot.ActionEscalate) && reason == "" {
				reason = bot.Reason(e.Meta.Reason)
			}
		}
	}
	if len(opening) == 0 {
		return nil, errors.New("the conversation has no customer message before the handover to turn into a scenario")
	}
	if packet != nil && packet.Facts.Topic.Intent != "" {
		intent = packet.Facts.Topic.Intent
	}
	if intent == "" {
		intent = "contact_human_agent"
	}
	id := "replay-" + slug(c.ID)
	sc := &Scenario{ID: id, Languages: []string{lang}, Persona: personaFor(reason),
		Topic: TopicSpec{Intent: intent}}
	setText(&sc.Title, lang, msg(lang, "Replay of conversation %s", "会話 %s の再現", c.ID))
	name := c.Customer.Name
	if name == "" {
		name = msg(lang, "Customer", "お客様")
	}
	setText(&sc.Customer.Name, lang, name)
	if cat, sub, ok := strings.Cut(c.Topic, "/"); ok {
		sc.Topic.Category, sc.Topic.Subtopic = cat, sub
	}
	problem := ""
	if packet != nil {
		problem = packet.Summary[lang]
	}
	if problem == "" {
		problem = clip(opening[0], 200)
	}
	setText(&sc.Problem, lang, problem)
	orderID := c.OrderID
	if orderID == "" && packet != nil {
		orderID = packet.Facts.Value(handoff.FactOrderID)
	}
	if orderID != "" {
		sc.Order = &OrderSpec{ID: orderID}
		if packet != nil && packet.Facts.Order != nil {
			setLines(&sc.Order.Items, lang, packet.Facts.Order.Items)
			sc.Order.Date, sc.Order.Status = packet.Facts.Order.Date, packet.Facts.Order.Status
		}
	}
	setLines(&sc.Opening, lang, opening)
	sc.Reactions = genericReactions()
	sc.Resolution = genericResolution(intent, reason)
	if reason == bot.ReasonSensitive {
		sc.Sensitive = true
	}

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Scenario made by `tsunagu train from-history %s`.\n", c.ID)
	buf.WriteString("# The opening is the customer's own words; the reactions and steps are generic:\n")
	buf.WriteString("# edit the steps' cues to what a good operator should say, then run\n")
	buf.WriteString("# `tsunagu rules check` on this file.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(file{Scenario: sc}); err != nil {
		return nil, fmt.Errorf("cannot write the scenario: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if _, err := Load(id+".yaml", buf.Bytes()); err != nil {
		return nil, fmt.Errorf("the scenario made from %s does not validate: %w", c.ID, err)
	}
	return buf.Bytes(), nil
}

func setText(t *bot.Text, lang, s string) {
	if lang == "ja" {
		t.JA = s
	} else {
		t.EN = s
	}
}

func setLines(l *bot.Texts, lang string, s []string) {
	if lang == "ja" {
		l.JA = s
	} else {
		l.EN = s
	}
}

// slug makes a scenario id from a conversation id.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
		if b.Len() >= 50 {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		out = "conversation"
	}
	return out
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func personaFor(r bot.Reason) Persona {
	switch r {
	case bot.ReasonComplaint, bot.ReasonUnresolved:
		return Angry
	case bot.ReasonMultiIssue, bot.ReasonNoProgress:
		return Confused
	}
	return Polite
}

func genericReactions() []Reaction {
	l := func(en, ja string) bot.Texts { return bot.Texts{EN: []string{en}, JA: []string{ja}} }
	return []Reaction{
		{When: WhenKnownFact, Mood: -25, Say: l("I already told your bot that.", "それはもうボットに伝えました。")},
		{When: WhenCard, Mood: -30, Say: l("I'm not comfortable sharing that.", "それはお伝えしたくありません。")},
		{When: WhenBanned, Mood: -20, Say: l("That's not helpful.", "その言い方はちょっと…。")},
		{When: WhenWrongTransfer, Mood: -15, Say: l("Why am I being passed on again?", "また別の担当ですか？")},
		{When: WhenResolved, Mood: 25, Say: l("Thank you, that's what I needed.", "ありがとうございます。それで大丈夫です。")},
		{When: WhenTransfer, Mood: 10, Say: l("Okay, I'll wait.", "分かりました。待ちます。")},
		{When: WhenCallback, Mood: 10, Say: l("Thanks, I'll wait for the call.", "ありがとうございます。お電話を待ちます。")},
		{When: WhenStep, Mood: 10, Say: l("Okay. What happens next?", "分かりました。次はどうなりますか？")},
		{When: WhenApology, Mood: 10, Once: true, Say: l("Thank you.", "ありがとうございます。")},
		{When: WhenEmpathy, Mood: 5, Once: true, Say: l("Yes, exactly.", "そうなんです。")},
		{When: WhenAcknowledge, Mood: 5, Once: true, Say: l("Yes, that's it.", "はい、その件です。")},
		{When: WhenOther, Mood: -5, Say: l("Sorry, so what happens now?", "それで、どうなりますか？")},
		{When: WhenSilence, Mood: -15, Say: l("Hello? Are you still there?", "まだいらっしゃいますか？")},
		{When: WhenLeave, Mood: 0, Say: l("I'll try again later.", "また後で問い合わせます。")},
	}
}

// fromHistoryExamples are the example sentences of the generic steps
// (understand/from_history.yaml).
type fromHistoryExamples struct {
	Fixes    map[string]bot.Texts `yaml:"fixes"`
	NextStep bot.Texts            `yaml:"next_step"`
}

var fromHistorySteps = sync.OnceValue(func() fromHistoryExamples {
	data, err := understandFS.ReadFile("understand/from_history.yaml")
	var f fromHistoryExamples
	if err == nil {
		err = yamlfile.Decode("handoff/training/understand/from_history.yaml", data, &f)
	}
	if err != nil || len(f.Fixes["default"].EN) == 0 || len(f.NextStep.JA) == 0 {
		panic(fmt.Sprintf("training: the embedded from_history.yaml is broken: %v", err)) // embedded; a test loads it
	}
	return f
})

// genericResolution gives steps by topic group, each with example sentences
// the scorecard learns from; a trainer refines them.
func genericResolution(intent string, reason bot.Reason) Resolution {
	steps := fromHistorySteps()
	fix, ok := steps.Fixes[handoff.TopicGroup(intent)]
	if !ok {
		fix = steps.Fixes["default"]
	}
	res := Resolution{Steps: []ResolutionStep{
		{ID: "fix", Label: bot.Text{EN: "Give the fix for the customer's problem", JA: "問題の解決策を伝える"}, Examples: fix},
		{ID: "next_step", Label: bot.Text{EN: "Say what happens next, and when", JA: "次に何が、いつ起きるかを伝える"},
			Examples: steps.NextStep},
	}}
	if reason == bot.ReasonSensitive || handoff.TopicGroup(intent) == "security" {
		res.Transfer = TeamSecurity
	}
	return res
}
