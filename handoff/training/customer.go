package training

import (
	_ "embed"
	"slices"
	"strings"
	"sync"

	"tsunagu/bot"
	"tsunagu/bot/yamlfile"
)

// toneLines are lines for a mood that did not fall (Warm) and for a falling
// or low one (Cool).
type toneLines struct {
	Warm bot.Texts `yaml:"warm"`
	Cool bot.Texts `yaml:"cool"`
}

func (t toneLines) In(lang string, cool bool) []string {
	if cool {
		return t.Cool.In(lang)
	}
	return t.Warm.In(lang)
}

// customerLines is what every simulated customer says when the scenario's
// own lines are used up or no longer fit (customer.yaml).
type customerLines struct {
	Filler            toneLines `yaml:"filler"`
	Settled           toneLines `yaml:"settled"`
	SettledSilence    bot.Texts `yaml:"settled_silence"`
	Goodbye           bot.Texts `yaml:"goodbye"`
	GoodbyeUnresolved bot.Texts `yaml:"goodbye_unresolved"`
}

//go:embed customer.yaml
var customerYAML []byte

// sharedLines parses customer.yaml once; sessions only read it.
var sharedLines = sync.OnceValue(func() customerLines {
	var f struct {
		Customer customerLines `yaml:"customer"`
	}
	if err := yamlfile.Decode("customer.yaml", customerYAML, &f); err != nil {
		panic(err)
	}
	return f.Customer
})

// lowMood is the mood under which a customer whose mood did not move still
// answers in the cool tone.
const lowMood = 40

// settledWhens are the rules whose own lines still fit once the case is
// resolved; any other rule is answered with the settled lines, so the
// customer never asks about the problem again.
var settledWhens = []When{WhenResolved, WhenTransfer, WhenCallback}

// fresh returns the options the customer has not said yet.
func (s *Session) fresh(options []string) []string {
	var out []string
	for _, o := range nonBlank(options) {
		if !s.said[sayKey(o)] {
			out = append(out, o)
		}
	}
	return out
}

// sayKey is what "the same line" means: the text without surrounding space.
func sayKey(text string) string { return strings.TrimSpace(text) }

// pickFresh picks, with the seeded source, a line not said yet from the
// first group that has one; "" when every line of every group was said.
func (s *Session) pickFresh(groups ...[]string) string {
	for _, g := range groups {
		if f := s.fresh(g); len(f) > 0 {
			return f[s.rng.IntN(len(f))]
		}
	}
	return ""
}

// answerFor chooses the rule that answers a turn among the rules applied on
// it: the highest-priority one whose mood change goes the way the mood
// went, so an angry line never comes with a rising mood (nor a thankful one
// with a falling mood).
func answerFor(applied []*Reaction, delta int) *Reaction {
	var best *Reaction
	bestRank := len(whenOrder)
	for _, r := range applied {
		if (delta > 0 && r.Mood <= 0) || (delta < 0 && r.Mood >= 0) {
			continue
		}
		if rank := slices.Index(whenOrder, r.When); rank < bestRank {
			best, bestRank = r, rank
		}
	}
	if best == nil && len(applied) > 0 {
		for _, r := range applied {
			if rank := slices.Index(whenOrder, r.When); best == nil || rank < bestRank {
				best, bestRank = r, rank
			}
		}
	}
	return best
}

// lineFor picks the customer's words for the answering rule: a variant of
// its own lines not said yet, else a line of another rule applied on the
// same turn in the same mood direction, else a short shared line in the
// tone of the mood. After the resolution only the settled lines fit, except
// for the rules in settledWhens. "" when everything that fits was said.
func (s *Session) lineFor(answer *Reaction, applied []*Reaction, delta int) string {
	shared := sharedLines()
	cool := delta < 0 || (delta == 0 && s.mood < lowMood)
	if s.resolved && !slices.Contains(settledWhens, answer.When) {
		return s.pickFresh(shared.Settled.In(s.lang, cool))
	}
	groups := [][]string{answer.Say.In(s.lang)}
	for _, r := range applied {
		if r != answer && r.Mood*answer.Mood > 0 && !(s.resolved && !slices.Contains(settledWhens, r.When)) {
			groups = append(groups, r.Say.In(s.lang))
		}
	}
	if s.resolved {
		groups = append(groups, shared.Settled.In(s.lang, cool))
	} else {
		groups = append(groups, shared.Filler.In(s.lang, cool))
	}
	return s.pickFresh(groups...)
}
