package training

import (
	"tsunagu/transcripts"

	"fmt"
	"math"
	"strings"
	"time"

	"tsunagu/handoff"
)

// Item is one line of the QA scorecard.
type Item string

// Critical items fail the whole form, as on contact-centre QA forms; the
// weighted items add up to the score.
const (
	ItemReaskFact     Item = "reask_fact"     // critical: asked for a fact the packet held
	ItemCardData      Item = "card_data"      // critical: exposed or asked for card data or a password
	ItemSensitiveCase Item = "sensitive_case" // critical: a sensitive case not routed where it must go

	ItemFirstResponse Item = "first_response"
	ItemAcknowledge   Item = "acknowledge_handover"
	ItemEmpathy       Item = "empathy"
	ItemResolution    Item = "resolution_steps"
	ItemRouting       Item = "routing"
	ItemPoliteness    Item = "politeness"
	ItemHandleTime    Item = "handle_time"
)

// CriticalItems and weightedItems list the items in scorecard order.
var (
	CriticalItems = []Item{ItemReaskFact, ItemCardData, ItemSensitiveCase}
	weightedItems = []Item{ItemFirstResponse, ItemAcknowledge, ItemEmpathy, ItemResolution, ItemRouting, ItemPoliteness, ItemHandleTime}
)

// AllItems is every scorecard item in order.
func AllItems() []Item { return append(append([]Item(nil), CriticalItems...), weightedItems...) }

// DefaultWeights are the weights of a scenario that sets none; they add up to 100.
var DefaultWeights = map[Item]int{
	ItemFirstResponse: 10, ItemAcknowledge: 10, ItemEmpathy: 15, ItemResolution: 30,
	ItemRouting: 15, ItemPoliteness: 10, ItemHandleTime: 10,
}

// Label names an item in lang.
func (it Item) Label(lang string) string {
	l := map[Item][2]string{
		ItemReaskFact:     {"Re-asked a fact in the packet", "引き継ぎ済みの情報の再確認"},
		ItemCardData:      {"Card data exposed", "カード情報の取り扱い"},
		ItemSensitiveCase: {"Sensitive case handling", "要注意案件の取り扱い"},
		ItemFirstResponse: {"Time to first response", "最初の応答までの時間"},
		ItemAcknowledge:   {"Acknowledged the handover", "引き継ぎの確認"},
		ItemEmpathy:       {"Empathy", "共感"},
		ItemResolution:    {"Resolution steps", "解決手順"},
		ItemRouting:       {"Routing and transfer", "転送・振り分け"},
		ItemPoliteness:    {"Politeness", "言葉づかい"},
		ItemHandleTime:    {"Handle time", "対応時間"},
	}[it]
	if lang == "ja" {
		return l[1]
	}
	return l[0]
}

// ItemResult is one scored line of the scorecard.
type ItemResult struct {
	Item     Item    `json:"item"`
	Critical bool    `json:"critical,omitempty"`
	Failed   bool    `json:"failed,omitempty"` // critical items only
	Weight   int     `json:"weight,omitempty"`
	Score    float64 `json:"score"` // 0..1 of the weight
	Points   float64 `json:"points"`
	Why      string  `json:"why"`
	Quote    string  `json:"quote,omitempty"` // the trainee's line the score rests on
}

// Scorecard is the graded session.
type Scorecard struct {
	ScenarioID     string        `json:"scenario_id"`
	Title          string        `json:"title"`
	Lang           string        `json:"lang"`
	Trainee        string        `json:"trainee"`
	Seed           uint64        `json:"seed"`
	At             time.Time     `json:"at"`
	Outcome        Outcome       `json:"outcome"`
	Resolved       bool          `json:"resolved"`
	Mood           int           `json:"mood"`
	FirstResponse  time.Duration `json:"first_response_ns"`
	HandleTime     time.Duration `json:"handle_time_ns"`
	Items          []ItemResult  `json:"items"`
	Weighted       float64       `json:"weighted"` // 0..100 before critical failures
	Total          float64       `json:"total"`    // 0..100; 0 when a critical item failed
	CriticalFailed bool          `json:"critical_failed"`
	// Live is set when a person played the customer (NewLiveSession).
	Live bool `json:"live,omitempty"`
	// Transcript is the session line by line; it is stored beside the
	// card (transcripts.TrainingSession.Transcript), not inside it.
	Transcript []transcripts.TrainingLine `json:"-"`
}

// Item returns the result of one item.
func (c Scorecard) Item(it Item) (ItemResult, bool) {
	for _, r := range c.Items {
		if r.Item == it {
			return r, true
		}
	}
	return ItemResult{}, false
}

// weights returns the scenario's weights (its overrides on the defaults).
func (s *Scenario) weights() map[Item]int {
	w := map[Item]int{}
	for k, v := range DefaultWeights {
		w[k] = v
	}
	for k, v := range s.Rubric {
		w[k] = v
	}
	return w
}

// msg picks the English or Japanese wording.
func msg(lang, en, ja string, a ...any) string {
	if lang == "ja" {
		return fmt.Sprintf(ja, a...)
	}
	return fmt.Sprintf(en, a...)
}

var factNames = map[string][2]string{
	FactProblem:          {"what the problem is", "問い合わせ内容"},
	handoff.FactOrderID:  {"the order number", "注文番号"},
	handoff.FactItem:     {"the item", "商品"},
	handoff.FactCustomer: {"the customer's name or account", "お客様の名前・アカウント"},
	handoff.FactEmail:    {"the email address", "メールアドレス"},
	handoff.FactPhone:    {"the phone number", "電話番号"},
}

func factName(f, lang string) string {
	if lang == "ja" {
		return factNames[f][1]
	}
	return factNames[f][0]
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%ds", int(d.Round(time.Second)/time.Second))
}

// Scorecard grades the session as it stands (normally after it ended).
func (s *Session) Scorecard() Scorecard {
	lang := s.lang
	c := Scorecard{ScenarioID: s.sc.ID, Title: s.sc.TitleIn(lang), Lang: lang, Trainee: s.cfg.Trainee,
		Seed: s.cfg.Seed, At: s.packetAt, Outcome: s.outcome, Resolved: s.resolved, Mood: s.mood, Live: s.live, Transcript: s.transcriptLines()}
	end := s.endedAt
	if end.IsZero() {
		end = s.clock.Now()
	}
	c.HandleTime = end.Sub(s.packetAt)

	var replies []int // indexes of trainee lines
	for i, l := range s.lines {
		if l.Speaker == SpeakerTrainee {
			replies = append(replies, i)
		}
	}
	sig := func(i int) Signals { return *s.lines[i].Signals }
	quote := func(i int) string { return s.lines[i].Text }

	// Critical: re-asking a fact in the packet.
	re := ItemResult{Item: ItemReaskFact, Critical: true, Score: 1,
		Why: msg(lang, "Never asked for a fact the packet already held.", "引き継ぎ済みの情報を聞き直していません。")}
	for _, i := range replies {
		if known := sig(i).AskedKnown; len(known) > 0 {
			re.Failed, re.Score, re.Quote = true, 0, clauseOr(sig(i).Asked, quote(i))
			re.Why = msg(lang, "Asked for %s, which the packet already held; the customer had to repeat themselves.",
				"引き継ぎ資料にある%sを聞き直しました。お客様に同じ説明を繰り返させています。", factName(known[0], lang))
			break
		}
	}
	// Critical: card data.
	card := ItemResult{Item: ItemCardData, Critical: true, Score: 1,
		Why: msg(lang, "No card number or password was asked for or shown.", "カード番号やパスワードを求めたり表示したりしていません。")}
	for _, i := range replies {
		if clause := sig(i).Card; clause != "" {
			card.Failed, card.Score, card.Quote = true, 0, clause
			card.Why = msg(lang, "Asked for or showed card data or a password; support never asks for a full card number, security code or password.",
				"カード情報やパスワードを求めたり表示したりしました。カード番号全体・セキュリティコード・パスワードは決して求めません。")
			break
		}
	}
	// Critical: sensitive case.
	sens := ItemResult{Item: ItemSensitiveCase, Critical: true, Score: 1,
		Why: msg(lang, "Not a sensitive case.", "要注意案件ではありません。")}
	if s.sc.Sensitive {
		want := s.sc.Resolution.Transfer
		switch {
		case s.transfer == want:
			sens.Why = msg(lang, "Sensitive case transferred to the %s, as it must be.", "要注意案件を%sへ正しく転送しました。", want.Label(lang))
		case s.transfer != "":
			sens.Failed, sens.Score = true, 0
			sens.Why = msg(lang, "A sensitive case went to the %s; it must go to the %s.", "要注意案件を%sへ転送しました。%sへ転送すべきです。", s.transfer.Label(lang), want.Label(lang))
		default:
			sens.Failed, sens.Score = true, 0
			sens.Why = msg(lang, "A sensitive case was kept in the chat; it must go to the %s.", "要注意案件をチャットで抱え込みました。%sへ転送すべきです。", want.Label(lang))
		}
	}
	c.Items = append(c.Items, re, card, sens)
	c.CriticalFailed = re.Failed || card.Failed || sens.Failed

	w := s.sc.weights()
	// Time to first response.
	fr := ItemResult{Item: ItemFirstResponse, Weight: w[ItemFirstResponse]}
	var real []int // replies that are sentences, not lists of cue words
	for _, i := range replies {
		if sig(i).CueList == "" {
			real = append(real, i)
		}
	}
	// clockNote tells how the time on the card was measured.
	clockNote := ""
	switch {
	case s.live:
		clockNote = msg(lang, " A person played the customer; the clock ran the whole time.", "お客様役は人が担当し、時計は常に進んでいました。")
	case s.Paused():
		clockNote = msg(lang, " The clock was paused while you typed; only the customer's typing and /wait count.", "入力中は時計が止まっていました。お客様の入力時間と /wait だけを数えています。")
	}
	if len(real) == 0 {
		fr.Why = msg(lang, "The customer never got a reply in sentences.", "お客様に文章で一度も返信していません。")
	} else {
		i := real[0]
		c.FirstResponse = s.lines[i].At.Sub(s.packetAt)
		fr.Quote = quote(i)
		switch {
		case c.FirstResponse <= time.Minute:
			fr.Score = 1
			fr.Why = msg(lang, "First reply after %s (target: within 60s).", "最初の返信まで%s（目標60秒以内）。", seconds(c.FirstResponse))
		case c.FirstResponse <= 2*time.Minute:
			fr.Score = 0.5
			fr.Why = msg(lang, "First reply after %s; aim for 60s.", "最初の返信まで%s。60秒以内を目指しましょう。", seconds(c.FirstResponse))
		default:
			fr.Why = msg(lang, "First reply after %s; the customer waited too long.", "最初の返信まで%s。お待たせしすぎです。", seconds(c.FirstResponse))
		}
	}
	if len(real) > 0 {
		fr.Why += clockNote
	}
	// Acknowledging the handover.
	ack := ItemResult{Item: ItemAcknowledge, Weight: w[ItemAcknowledge],
		Why: msg(lang, "Never acknowledged the handover or restated the problem.", "引き継ぎへの言及も問題の確認もありませんでした。")}
	for k, i := range replies {
		sg := sig(i)
		if sg.Acknowledge == "" {
			continue
		}
		ack.Quote = sg.Acknowledge
		if k == 0 {
			ack.Score = 1
			ack.Why = msg(lang, "Opened by acknowledging the handover.", "最初の返信で引き継ぎを確認しました。")
		} else {
			ack.Score = 0.5
			ack.Why = msg(lang, "Acknowledged the handover, but not in the first reply.", "引き継ぎの確認が最初の返信ではありませんでした。")
		}
		break
	}
	// Empathy where the persona needs it.
	emp := ItemResult{Item: ItemEmpathy, Weight: w[ItemEmpathy]}
	firstFix := len(s.lines)
	for _, id := range s.StepsDone() {
		firstFix = min(firstFix, s.stepsDone[id])
	}
	for i, l := range s.lines {
		if l.Action == "transfer" || l.Action == "callback" {
			firstFix = min(firstFix, i)
		}
	}
	empAt, empClause := -1, ""
	for _, i := range replies {
		if sg := sig(i); sg.Apology != "" || sg.Empathy != "" {
			empAt, empClause = i, clauseOr(sg.Empathy, sg.Apology)
			break
		}
	}
	var banned, insults []int
	for _, i := range replies {
		if sig(i).Banned != "" {
			banned = append(banned, i)
			if sig(i).Insult {
				insults = append(insults, i)
			}
		}
	}
	hardAt := -1
	hardCount := 0
	for _, i := range replies {
		if sig(i).Complex != "" {
			if hardAt < 0 {
				hardAt = i
			}
			hardCount++
		}
	}
	switch {
	case len(replies) == 0:
		emp.Why = msg(lang, "The customer never got a reply.", "お客様に一度も返信していません。")
	case s.sc.Persona == NonNative && hardAt >= 0:
		// What a customer writing in their second language needs is plain words.
		emp.Score, emp.Quote = map[bool]float64{true: 0.5, false: 0}[hardCount == 1], quote(hardAt)
		emp.Why = msg(lang, "The customer writes in a second language; %d line(s) were hard to follow (%s). Use short, plain sentences.",
			"お客様は母語でない言語で書いています。分かりにくい文が%d件ありました（%s）。短く平易な文にしましょう。", hardCount, sig(hardAt).Complex)
	case s.sc.Persona == NonNative && len(replies) > 0:
		emp.Score = 1
		emp.Why = msg(lang, "Kept to short, plain sentences for a customer writing in a second language.", "母語でない言語で書くお客様に、短く平易な文で対応しました。")
	case empAt >= 0 && len(insults) > 0:
		emp.Score, emp.Quote = 0.25, sig(insults[0]).Banned
		emp.Why = msg(lang, "Said something kind, but also blamed or insulted the customer; that undoes the empathy.", "気遣いの言葉はありましたが、お客様を責める・侮辱する発言で台無しになりました。")
	case empAt >= 0 && empAt <= firstFix:
		emp.Score, emp.Quote = 1, empClause
		emp.Why = msg(lang, "Acknowledged the customer's feelings before the fix.", "解決策の前にお客様の気持ちに寄り添いました。")
	case empAt >= 0:
		emp.Score, emp.Quote = 0.5, empClause
		emp.Why = msg(lang, "Showed empathy, but only after the fix.", "共感の言葉が解決策の後になりました。")
	case len(insults) > 0:
		emp.Quote = sig(insults[0]).Banned
		emp.Why = msg(lang, "Blamed or insulted the customer instead of acknowledging how they feel.", "お客様の気持ちに寄り添わず、責める・侮辱する発言をしました。")
	case len(real) == 0:
		emp.Why = msg(lang, "No reply in sentences, so no empathy to judge.", "文章での返信がなく、共感を評価できません。")
	case !s.sc.Persona.NeedsEmpathy() && !s.resolved:
		emp.Score = 0.5
		emp.Why = msg(lang, "A calm customer, but the case was left unsolved.", "落ち着いたお客様でしたが、案件は未解決のままです。")
	case !s.sc.Persona.NeedsEmpathy():
		emp.Score = 1
		emp.Why = msg(lang, "No apology needed for this calm customer; clarity mattered more.", "落ち着いたお客様で、お詫びより明確さが大切な場面でした。")
	default:
		emp.Why = msg(lang, "This %s customer needed an apology or empathy first; there was none.", "%sお客様には、まずお詫びや共感が必要でしたが、ありませんでした。", personaName(s.sc.Persona, lang))
	}
	// Resolution steps.
	res := ItemResult{Item: ItemResolution, Weight: w[ItemResolution]}
	steps := s.sc.Resolution.Steps
	if len(steps) == 0 {
		res.Score = 1
		res.Why = msg(lang, "This case had no steps to give in the chat.", "チャットで伝える手順のない案件です。")
	} else {
		var missing []string
		first := -1
		for _, st := range steps {
			if i, ok := s.stepsDone[st.ID]; ok {
				if first < 0 || i < first {
					first = i
				}
			} else {
				missing = append(missing, st.Label.In(lang))
			}
		}
		done := len(steps) - len(missing)
		res.Score = float64(done) / float64(len(steps))
		if first >= 0 {
			for _, st := range steps {
				if i, ok := s.stepsDone[st.ID]; ok && i == first {
					res.Quote = clauseOr(sig(first).StepClauses[st.ID], quote(first))
					break
				}
			}
		}
		if len(missing) == 0 {
			res.Why = msg(lang, "Gave all %d resolution steps.", "解決手順%d件をすべて案内しました。", len(steps))
		} else {
			res.Why = msg(lang, "Gave %d of %d steps; missing: %s.", "手順%d/%d件。不足：%s。", done, len(steps), strings.Join(missing, msg(lang, "; ", "、")))
		}
	}
	var lists []int
	for _, i := range replies {
		if sig(i).CueList != "" {
			lists = append(lists, i)
		}
	}
	if len(lists) > 0 {
		res.Why += msg(lang, " %d line(s) were lists of cue words, not sentences, and earned nothing (%s).", " %d件の返信は文ではなく単語の羅列で、評価されません（%s）。", len(lists), sig(lists[0]).CueList)
		if res.Quote == "" {
			res.Quote = quote(lists[0])
		}
	}
	// Routing and transfer.
	rt := ItemResult{Item: ItemRouting, Weight: w[ItemRouting]}
	want := s.sc.Resolution.Transfer
	var parts []float64
	var whys []string
	switch {
	case want == "" && s.transfer == "" && s.resolved:
		parts = append(parts, 1)
		whys = append(whys, msg(lang, "Kept a case the chat could solve, and solved it.", "チャットで解決できる案件を自分で解決しました。"))
	case want == "" && s.transfer == "":
		parts = append(parts, 0.5)
		whys = append(whys, msg(lang, "Kept a case the chat could solve, but left it unsolved.", "チャットで解決できる案件でしたが、解決しませんでした。"))
	case want == "":
		parts = append(parts, 0)
		whys = append(whys, msg(lang, "Transferred to the %s a case the chat could solve.", "チャットで解決できる案件を%sへ転送しました。", s.transfer.Label(lang)))
	case s.transfer == want:
		parts = append(parts, 1)
		whys = append(whys, msg(lang, "Transferred to the %s, the right team.", "正しい担当（%s）へ転送しました。", want.Label(lang)))
	case s.transfer != "":
		parts = append(parts, 0)
		whys = append(whys, msg(lang, "Transferred to the %s; the case needed the %s.", "%sへ転送しましたが、%sが正解です。", s.transfer.Label(lang), want.Label(lang)))
	default:
		parts = append(parts, 0)
		whys = append(whys, msg(lang, "Never transferred; the case needed the %s.", "転送しませんでした。%sへの転送が必要でした。", want.Label(lang)))
	}
	if s.sc.Resolution.Callback {
		if s.booking != nil {
			parts = append(parts, 1)
			whys = append(whys, msg(lang, "Booked a callback: %s", "折り返し電話を予約しました：%s", s.booking.Text(lang, s.pool.Location)))
		} else {
			parts = append(parts, 0)
			whys = append(whys, msg(lang, "No callback booked; the customer asked for a call.", "折り返し電話を予約しませんでした。"))
		}
	}
	sum := 0.0
	for _, p := range parts {
		sum += p
	}
	rt.Score = sum / float64(len(parts))
	rt.Why = strings.Join(whys, " ")
	// Politeness.
	pol := ItemResult{Item: ItemPoliteness, Weight: w[ItemPoliteness], Score: 1,
		Why: msg(lang, "No blaming, over-promising or bare refusals.", "責める・約束しすぎる・代案のない「できません」はありませんでした。")}
	if len(real) == 0 {
		pol.Score = 0
		pol.Why = msg(lang, "No reply in sentences, so no politeness to judge.", "文章での返信がなく、言葉づかいを評価できません。")
	}
	if len(banned) > 0 {
		first := banned[0]
		if len(insults) > 0 {
			first = insults[0]
		}
		pol.Quote = sig(first).Banned
		// An insult or blame costs everything; another risky line costs half.
		pol.Score = max(0, 1-0.5*float64(len(banned))-0.5*float64(len(insults)))
		pol.Why = msg(lang, "%d risky line(s), %d blaming or insulting the customer: blaming, over-promising or a refusal with no alternative.",
			"不適切な表現が%d件（うちお客様を責める・侮辱するもの%d件）。責める・約束しすぎる・代案のない断りは避けましょう。", len(banned), len(insults))
	}
	// Handle time.
	ht := ItemResult{Item: ItemHandleTime, Weight: w[ItemHandleTime]}
	target := time.Duration(s.sc.Resolution.HandleMinutes * float64(time.Minute))
	if target <= 0 {
		target = 10 * time.Minute
	}
	switch {
	case s.outcome == OutcomeLeft && s.live:
		ht.Why = msg(lang, "The customer left the chat after %s.", "お客様は%s後にチャットを退出しました。", seconds(c.HandleTime))
	case s.outcome == OutcomeLeft:
		ht.Why = msg(lang, "The customer gave up and left after %s.", "お客様は%s後に諦めて退出しました。", seconds(c.HandleTime))
	case !s.resolved:
		ht.Why = msg(lang, "Ended after %s without resolving the case; time only counts for a resolved case.", "%sで終了しましたが、案件は未解決です。対応時間は解決した場合のみ評価します。", seconds(c.HandleTime))
	case c.HandleTime <= target:
		ht.Score = 1
		ht.Why = msg(lang, "Handled in %s (target %s).", "対応時間%s（目標%s）。", seconds(c.HandleTime), seconds(target))
	case c.HandleTime <= target*3/2:
		ht.Score = 0.5
		ht.Why = msg(lang, "Handled in %s, over the %s target.", "対応時間%s。目標%sを超えました。", seconds(c.HandleTime), seconds(target))
	default:
		ht.Why = msg(lang, "Handled in %s, far over the %s target.", "対応時間%s。目標%sを大きく超えました。", seconds(c.HandleTime), seconds(target))
	}
	c.Items = append(c.Items, fr, ack, emp, res, rt, pol, ht)

	total, weights := 0.0, 0
	for i := range c.Items {
		it := &c.Items[i]
		if it.Critical {
			continue
		}
		it.Points = float64(it.Weight) * it.Score
		total += it.Points
		weights += it.Weight
	}
	if weights > 0 {
		c.Weighted = math.Round(1000*total/float64(weights)) / 10
	}
	c.Total = c.Weighted
	if c.CriticalFailed {
		c.Total = 0
	}
	return c
}

// clauseOr returns clause, or line when no clause decided it.
func clauseOr(clause, line string) string {
	if clause != "" {
		return clause
	}
	return line
}

func personaName(p Persona, lang string) string {
	n := map[Persona][2]string{
		Polite: {"polite", "丁寧な"}, Confused: {"confused", "困惑した"}, Angry: {"angry", "怒っている"},
		Abusive: {"abusive", "暴言を吐く"}, Elderly: {"elderly", "ご高齢の"}, NonNative: {"non-native", "母語でない言語で話す"},
	}[p]
	if lang == "ja" {
		return n[1]
	}
	return n[0]
}

// PersonaName names a persona in lang, for the screens.
func PersonaName(p Persona, lang string) string { return personaName(p, lang) }
