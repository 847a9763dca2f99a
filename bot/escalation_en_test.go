package bot

import (
	"slices"
	"testing"
)

// TestEnglishAngerEscalates checks that anger, frustration and repeated
// contact, said in everyday English, escalate as a complaint
// whether the message is only the feeling or also names a shop problem. The
// messages are hand-written.
func TestEnglishAngerEscalates(t *testing.T) {
	e := testEngine(t)
	for _, text := range []string{
		"I am really angry!",
		"This is the second broken one, I'm really angry!",
		"I'm furious, my parcel still hasn't come",
		"absolutely livid about this",
		"I'm fuming",
		"I'm so frustrated with this shop",
		"this is really frustrating",
		"honestly I'm annoyed, the refund is late again",
		"I'm very upset with how this was handled",
		"really upset about the state my order arrived in",
		"I'm mad at your courier",
		"honestly, I'm so mad",
		"this makes me so angry",
		"I'm fed up with waiting",
		"I'm sick and tired of this",
		"I've had enough of your excuses",
		"very disappointed with the quality",
		"what a rip off",
		"this is the third time I'm contacting you about this",
		"second time I've written about the same order",
		"I've asked again and again and nobody helps",
		"I've contacted you three times already",
		"how many times do I have to explain this",
		"how many times have I asked you for this",
		"how many more times must I chase my refund",
		"nobody ever replies to my emails",
		"another faulty one arrived today",
		"Im angry",
		"I'm irritated that the tracking never updates",
	} {
		t.Run(text, func(t *testing.T) {
			d := e.NewConversation("t", Facts{Lang: "en", SignedIn: true}).Respond(text)
			if d.Action != ActionEscalate || d.Reason != ReasonComplaint || !slices.Contains(d.Explanation.Rules, "policy:anger") {
				t.Errorf("%q: got %s/%s (intent %q, rules %v); want escalate/complaint by the anger trigger", text, d.Action, d.Reason, d.Intent, d.Explanation.Rules)
			}
			if d.Lang != "en" {
				t.Errorf("%q: reply language %q, want en", text, d.Lang)
			}
		})
	}
}

// TestEnglishAngerNoFalseAlarms: words that only look like anger ("mad"
// meaning keen, an upset stomach, ordering a second time) do not fire the
// anger trigger. These are decisions, not accidents: bare "mad" and "upset"
// are left out of the rules on purpose.
func TestEnglishAngerNoFalseAlarms(t *testing.T) {
	e := testEngine(t)
	for _, text := range []string{
		"I'm mad about your new sofas, how do I order one",
		"my stomach is upset",
		"this is the second time I order from you, can I pay by card",
		"I ordered a second one for my sister",
		"the madras curry kit arrived broken",
		"nomad backpack, is it in stock",
		"how many times can I change my delivery date",
		"how many times will the courier try to deliver",
		"I want to cancel my order",
		"where is my refund",
		"how do I leave a review",
	} {
		t.Run(text, func(t *testing.T) {
			cls := e.Classify(text, "en", "", false)
			if id, ok := cls.Triggers["anger"]; ok {
				t.Errorf("%q fired anger rule %s", text, id)
			}
		})
	}
}

// TestExamplesDoNotFireAnger: no example utterance (English or Japanese) of
// an intent other than complaint fires the anger trigger, so adding an anger
// phrase cannot silently turn ordinary requests into escalations.
func TestExamplesDoNotFireAnger(t *testing.T) {
	e := testEngine(t)
	for _, name := range Intents {
		if name == "complaint" {
			continue
		}
		in := e.Rules().IntentMap[name]
		for lang, examples := range map[string][]string{"en": in.EN.Examples, "ja": in.JA.Examples} {
			for _, ex := range examples {
				if id, ok := e.Classify(ex, lang, "", false).Triggers["anger"]; ok {
					t.Errorf("%s %s example %q fires anger rule %s", name, lang, ex, id)
				}
			}
		}
	}
}
