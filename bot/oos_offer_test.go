package bot

import (
	"strings"
	"testing"
)

// TestOutOfScopeOffersNumberedTopics: a message outside the shop's topics is
// a clarification with intent "" that says what the bot can help with and
// offers numbered topics; a number then picks one.
func TestOutOfScopeOffersNumberedTopics(t *testing.T) {
	tests := []struct {
		lang, offTopic, pick, wantIntent, wantText string
	}{
		{"en", "what is the weather tomorrow", "1", "track_order", "1. "},
		{"ja", "今日の天気は？", "2", "return_item", "1. "},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			c := testEngine(t).NewConversation("oos", Facts{Lang: tt.lang, SignedIn: true})
			d := c.Respond(tt.offTopic)
			if d.Action != ActionClarify || d.Intent != "" {
				t.Fatalf("off-topic message gave %s/%q, want clarify with no intent", d.Action, d.Intent)
			}
			if len(d.Choices) < 2 || !strings.Contains(d.Reply, tt.wantText) {
				t.Fatalf("no numbered topics offered: choices %v, reply %q", d.Choices, d.Reply)
			}
			picked := c.Respond(tt.pick)
			if picked.Intent != tt.wantIntent || picked.Action == ActionClarify {
				t.Fatalf("picking %s gave %s/%q, want %s", tt.pick, picked.Action, picked.Intent, tt.wantIntent)
			}
		})
	}
}

func TestOutOfScopeOfferIsChecked(t *testing.T) {
	data := strings.Replace(string(DefaultRulesYAML()), "out_of_scope_offer: [track_order,", "out_of_scope_offer: [track_ordr,", 1)
	problems := Check("rules.yaml", []byte(data))
	if len(problems) != 1 || !strings.Contains(problems[0], `unknown intent "track_ordr"`) || strings.HasPrefix(problems[0], "rules.yaml:1:") {
		t.Fatalf("problems = %q, want one line-numbered unknown intent", problems)
	}
}
