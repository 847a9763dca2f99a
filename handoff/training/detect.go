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

// askFacts maps what a clause asks for (understand/asks.yaml) to the fact.
var askFacts = map[string]string{
	"order": handoff.FactOrderID, "item": handoff.FactItem, "account": handoff.FactCustomer,
	"email": handoff.FactEmail, "phone": handoff.FactPhone, "problem": FactProblem,
}

// Signals is what one trainee line does, as the customer and the scorecard
// see it. Each field that says what the line did holds the clause that did
// it ("" when none), so the scorecard can quote it.
type Signals struct {
	Apology     string `json:"apology,omitempty"`
	Empathy     string `json:"empathy,omitempty"`
	Acknowledge string `json:"acknowledge,omitempty"`
	// AskedKnown are the facts the line asks for that the packet already holds.
	AskedKnown []string `json:"asked_known,omitempty"`
	// AskedMissing are the facts the line asks for that the packet lacks
	// (asking for those is right).
	AskedMissing []string `json:"asked_missing,omitempty"`
	// Asked is the clause that asked for AskedKnown[0] (or AskedMissing[0]).
	Asked string `json:"asked,omitempty"`
	// Card is the clause that exposes card data: a card number typed into
	// the chat, or a request for card details or a password.
	Card string `json:"card,omitempty"`
	// Banned is a clause that blames or insults the customer, over-promises
	// or refuses with no alternative; Insult is set when it blames or insults.
	Banned string `json:"banned,omitempty"`
	Insult bool   `json:"insult,omitempty"`
	// Complex says why the line is hard for a non-native speaker to follow
	// ("" when it is plain): a very long sentence or an idiom.
	Complex string `json:"complex,omitempty"`
	// Close is the clause that closes the chat ("Have a nice day").
	Close string `json:"close,omitempty"`
	// Time is the first time expression ("within 24 hours") in a sentence.
	Time string `json:"time,omitempty"`
	// Steps are the ids of the scenario's resolution steps the line gives;
	// StepClauses the clause that gave each.
	Steps       []string          `json:"steps,omitempty"`
	StepClauses map[string]string `json:"step_clauses,omitempty"`
	// Matches are the indexes of the scenario's when: match rules that fire.
	Matches []int `json:"matches,omitempty"`
	// CueList says why the line is a list of cue words rather than
	// sentences; such a line earns nothing (its faults still count).
	CueList string `json:"cue_list,omitempty"`
	// Clauses is how each clause was understood.
	Clauses []Clause `json:"clauses,omitempty"`
}

// factOrder fixes the order in which asked-for facts are reported.
var factOrder = []string{FactProblem, handoff.FactOrderID, handoff.FactItem, handoff.FactCustomer, handoff.FactEmail, handoff.FactPhone}

// Read works out what a trainee line does, given the packet the trainee
// holds and the scenario (its resolution step examples and match rules).
func Read(line, lang string, p *handoff.Packet, sc *Scenario) Signals {
	clauses, list := readLine(line, sc)
	sig := Signals{Clauses: clauses, CueList: list}
	if transcripts.MaskCards(line) != line {
		sig.Card = transcripts.MaskCards(line)
	}
	asked := map[string]string{}
	offered := false
	for _, c := range clauses {
		if c.Act == ActOffer {
			offered = true
		}
	}
	for _, c := range clauses {
		switch c.Act {
		case ActApology:
			first(&sig.Apology, c.Text)
		case ActEmpathy:
			first(&sig.Empathy, c.Text)
		case ActAcknowledge:
			first(&sig.Acknowledge, c.Text)
		case ActClose:
			first(&sig.Close, c.Text)
		case ActBlame:
			if sig.Banned == "" || !sig.Insult {
				sig.Banned, sig.Insult = c.Text, true
			}
		case ActOverpromise:
			first(&sig.Banned, c.Text)
		case ActRefuse:
			// A refusal with an alternative in the same line is fine.
			if !offered {
				first(&sig.Banned, c.Text)
			}
		}
		if c.Ask == askCard {
			first(&sig.Card, c.Text)
		} else if f, ok := askFacts[c.Ask]; ok {
			if _, dup := asked[f]; !dup {
				asked[f] = c.Text
			}
		}
		if !c.Fragment {
			first(&sig.Time, c.Time)
		}
		if c.Step != "" && !contains(sig.Steps, c.Step) {
			sig.Steps = append(sig.Steps, c.Step)
			if sig.StepClauses == nil {
				sig.StepClauses = map[string]string{}
			}
			sig.StepClauses[c.Step] = c.Text
		}
	}
	if sig.Acknowledge == "" && p != nil {
		// Restating the case (its order or item) acknowledges the handover.
		for _, c := range clauses {
			for _, v := range []string{p.Facts.Value(handoff.FactOrderID), p.Facts.Value(handoff.FactItem)} {
				if v != "" && strings.Contains(c.Text, v) && sig.Acknowledge == "" {
					sig.Acknowledge = c.Text
				}
			}
		}
	}
	for _, fact := range factOrder {
		clause, ok := asked[fact]
		if !ok {
			continue
		}
		known := fact == FactProblem || (p != nil && p.Facts.Has(fact))
		// Restating the value ("order 250-… is on its way") is not asking for it.
		if known && fact != FactProblem && strings.Contains(clause, p.Facts.Value(fact)) {
			continue
		}
		if known {
			sig.AskedKnown = append(sig.AskedKnown, fact)
			first(&sig.Asked, clause)
		} else {
			sig.AskedMissing = append(sig.AskedMissing, fact)
		}
	}
	if sig.Asked == "" && len(sig.AskedMissing) > 0 {
		sig.Asked = asked[sig.AskedMissing[0]]
	}
	sig.Complex = hardToFollow(line, lang, clauses)
	if sc != nil && list == "" {
		for i, r := range sc.Reactions {
			if r.When != WhenMatch {
				continue
			}
			for _, c := range clauses {
				if !c.Fragment && MatchCue(c.Text, r.Match.In(lang)) {
					sig.Matches = append(sig.Matches, i)
					break
				}
			}
		}
	}
	if list != "" {
		// A list of cue words earns nothing: only its faults stay.
		sig.Apology, sig.Empathy, sig.Acknowledge, sig.Close, sig.Time = "", "", "", "", ""
		sig.Steps, sig.StepClauses = nil, nil
	}
	return sig
}

func first(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Sentence limits for a reader in their second language: words for English,
// characters for Japanese.
const (
	maxPlainWords = 22
	maxPlainRunes = 60
)

// hardToFollow says why a line would lose a non-native reader, or "".
func hardToFollow(line, lang string, clauses []Clause) string {
	if lang == "ja" {
		for _, s := range strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune("。！？!?\n", r) }) {
			if c := utf8.RuneCountInString(strings.TrimSpace(s)); c > maxPlainRunes {
				return fmt.Sprintf("一文が%d文字", c)
			}
		}
		return idiomIn(clauses)
	}
	for _, s := range strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(".!?;\n", r) }) {
		if w := len(strings.Fields(s)); w > maxPlainWords {
			return fmt.Sprintf("a %d-word sentence", w)
		}
	}
	return idiomIn(clauses)
}

// idiomIn quotes the first idiomatic clause, or "".
func idiomIn(clauses []Clause) string {
	for _, c := range clauses {
		if !c.Fragment && idiomatic(c.Text) {
			return fmt.Sprintf("%q", c.Text)
		}
	}
	return ""
}
