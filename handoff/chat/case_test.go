package chat

import (
	"encoding/json"
	"strings"
	"testing"

	"tsunagu/handoff"
	"tsunagu/transcripts"
)

// TestCaseFollowsTheCustomer: each issue the customer raises joins the
// case with their words and the order's facts; two problems in one message
// are two open issues; the case is stored with the bot's entries and
// carried by the packet, whose summary names the latest open issues in the
// customer's words, not the menu topic they moved away from.
func TestCaseFollowsTheCustomer(t *testing.T) {
	for _, tc := range []struct {
		lang, first, multi string
		want               []string // the open issues after the multi-issue message
		quote              []string // pieces of the customer's words in the summary
	}{
		{"en", "How do I return something?", "My kettle is broken. Also, where is my refund for the shoes?",
			[]string{"product_problem", "track_refund"}, []string{"My kettle is broken", "where is my refund for the shoes"}},
		{"ja", "返品のしかたを教えてください", "二つ問題があります。荷物が届かないのと、二重請求されています",
			[]string{"track_order", "payment_issue"}, []string{"荷物が届かない", "二重請求されています"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			r := newRig(t)
			r.cfg.Lang = tc.lang
			cat, tp := topic(t, "delivery", "options")
			c := New(r.cfg, Contact{SignedIn: true, Order: demoOrder(), Category: cat, Topic: tp})
			c.StartChat()
			c.Send(tc.first)
			res := c.Send(tc.multi)
			st := c.State()
			if st.Reason != "multi_issue" {
				t.Fatalf("reason %q, want multi_issue", st.Reason)
			}
			var open []string
			for _, is := range st.Issues {
				if is.Status == IssueOpen {
					open = append(open, is.Intent)
					if is.Text == "" || !strings.Contains(tc.multi, is.Text) {
						t.Errorf("issue %s: text %q is not the customer's words", is.Intent, is.Text)
					}
					if is.Facts["order_id"] != demoOrder().ID {
						t.Errorf("issue %s: facts %v lack the order", is.Intent, is.Facts)
					}
				}
			}
			if strings.Join(open, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("open issues %v, want %v (case %+v)", open, tc.want, st.Issues)
			}
			// The case event after the message has both.
			var last Event
			for _, ev := range res.Events {
				if ev.Kind == KindCase {
					last = ev
				}
			}
			if len(last.Issues) != len(st.Issues) {
				t.Fatalf("case event %+v, state %+v", last.Issues, st.Issues)
			}
			// The packet carries the case; its summaries quote the open issues.
			p := st.Packet
			if p == nil || len(p.Issues) != len(st.Issues) {
				t.Fatalf("packet case %+v", p)
			}
			for _, lang := range []string{"en", "ja"} {
				for _, q := range tc.quote {
					if !strings.Contains(p.Summary[lang], q) {
						t.Errorf("summary (%s) %q does not quote %s", lang, p.Summary[lang], q)
					}
				}
				if strings.Contains(p.Summary[lang], tc.first) {
					t.Errorf("summary (%s) %q names the answered question", lang, p.Summary[lang])
				}
			}
			// Stored: the bot's entry keeps the case, the escalation its packet.
			var stored []Issue
			var packet handoff.Packet
			for _, e := range r.load(c.ID()).Entries {
				if e.Role == transcripts.RoleBot && e.Meta != nil && len(e.Meta.Case) > 0 {
					stored = nil
					if err := json.Unmarshal(e.Meta.Case, &stored); err != nil {
						t.Fatal(err)
					}
				}
				if e.Event == transcripts.EventEscalated {
					if err := json.Unmarshal(e.Meta.Packet, &packet); err != nil {
						t.Fatal(err)
					}
				}
			}
			if len(stored) != len(st.Issues) || len(packet.Issues) != len(st.Issues) {
				t.Fatalf("stored case %+v, stored packet case %+v; want %d issues", stored, packet.Issues, len(st.Issues))
			}
		})
	}
}

// TestCaseTable: how one decision changes the case.
func TestCaseTable(t *testing.T) {
	var c caseFile
	c.set("track_order", IssueAnswered, "where is it", map[string]string{"order_id": "1"})
	c.set("payment_issue", IssueOpen, "charged twice", nil)
	if got := c.latest(); got != "payment_issue" {
		t.Fatalf("latest %q", got)
	}
	c.reopenAnswered()
	if c.issues[0].Status != IssueOpen {
		t.Fatalf("not reopened: %+v", c.issues)
	}
	c.set("track_order", IssueAnswered, "", map[string]string{"amount": "3000"})
	if is := c.issues[0]; is.Text != "where is it" || is.Facts["order_id"] != "1" || is.Facts["amount"] != "3000" {
		t.Fatalf("facts or text lost: %+v", is)
	}
	var back caseFile
	back.restore(c.stored())
	if len(back.issues) != 2 || back.issues[1].Text != "charged twice" {
		t.Fatalf("restored %+v", back.issues)
	}
	c.resolveAll()
	for _, is := range c.forPacket() {
		if is.Status != "resolved" {
			t.Fatalf("not resolved: %+v", is)
		}
	}
}
