package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tsunagu/transcripts"
)

// Issue 15: a conversation closed with two ratings has one close event, and
// show and the Markdown export label the ratings bot and operator, print
// the leave cause, the offer to close and the native-speaker choice, and
// name the customer, every label in the chosen language.
func TestHistoryShowIsFaithful(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tsunagu.db")
	wall := time.Date(2026, 11, 26, 9, 0, 0, 0, historyJST)
	s, err := transcripts.Open(path, transcripts.Options{Now: func() time.Time { return wall }})
	if err != nil {
		t.Fatal(err)
	}
	sim := time.Date(2030, 1, 2, 10, 0, 0, 0, historyJST) // --clock, far from the wall clock
	at := func(n int) time.Time { return sim.Add(time.Duration(n) * time.Second) }
	c, err := s.CreateConversation(transcripts.Conversation{ID: "c-2030", StartedAt: sim, Lang: "ja",
		Customer: transcripts.Customer{Name: "佐藤 花子"}})
	if err != nil {
		t.Fatal(err)
	}
	// What the chat records, as it did: the UI word as the customer's
	// author, the close at simulated time and then CloseConversation.
	for _, e := range []transcripts.Entry{
		{At: at(1), Role: transcripts.RoleCustomer, Author: "あなた", Text: "返品したいです"},
		{At: at(2), Role: transcripts.RoleSystem, Event: transcripts.EventEscalated, Meta: &transcripts.Meta{Reason: "complaint"}},
		{At: at(3), Role: transcripts.RoleSystem, Event: transcripts.EventOperatorChoice, Meta: &transcripts.Meta{Reason: transcripts.ChoiceNativeSpeaker}},
		{At: at(4), Role: transcripts.RoleSystem, Event: transcripts.EventOperatorLeft, Meta: &transcripts.Meta{Operator: "Tanaka", Reason: "timeout"}},
		{At: at(5), Role: transcripts.RoleSystem, Event: transcripts.EventCloseOffered, Meta: &transcripts.Meta{Operator: "Suzuki"}},
		{At: at(6), Role: transcripts.RoleSystem, Event: transcripts.EventRating, Author: transcripts.RatedBot, Meta: &transcripts.Meta{Rating: 2}},
		{At: at(7), Role: transcripts.RoleSystem, Event: transcripts.EventRating, Author: transcripts.RatedOperator, Meta: &transcripts.Meta{Rating: 4}},
		{At: at(8), Role: transcripts.RoleSystem, Event: transcripts.EventClosed},
	} {
		if _, err := s.AppendEntry(c.ID, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CloseConversation(c.ID); err != nil {
		t.Fatal(err)
	}
	s.Close()

	tests := []struct {
		lang, closed string
		show         []string
		markdown     []string
		english      []string // labels that must not appear
	}{
		{"en", "conversation closed",
			[]string{"Conversation c-2030 · 2030-01-02 10:00 +09:00 · closed", "10:00:01  Customer 佐藤 花子",
				"— handed to a person (reason: complaint)", "— the customer chose to wait for a native speaker",
				"— Tanaka left (no reply in time)", "— Suzuki offered to close the chat",
				"10:00:06  — rated the bot 2 of 5", "10:00:07  — rated the operator 4 of 5", "10:00:08  — conversation closed"},
			[]string{"# Conversation c-2030", "*10:00:06 · rated the bot 2 of 5*", "*10:00:07 · rated the operator 4 of 5*"},
			[]string{"あなた", "rated 2 of 5"}},
		{"ja", "会話を終了しました",
			[]string{"会話 c-2030 · 2030-01-02 10:00 +09:00 · 終了", "10:00:01  お客様 佐藤 花子",
				"— 担当者に引き継ぎました（理由: 苦情）", "— お客様はネイティブ話者を待つことを選びました",
				"— Tanakaが退出しました（応答なし）", "— Suzukiがチャットの終了を提案しました",
				"10:00:06  — ボットの評価: 5段階中2", "10:00:07  — 担当者の評価: 5段階中4", "10:00:08  — 会話を終了しました"},
			[]string{"# 会話 c-2030", "*10:00:06 · ボットの評価: 5段階中2*", "*10:00:07 · 担当者の評価: 5段階中4*"},
			[]string{"あなた", "Customer", "Conversation", "handed to", "rated", "closed", "guest", "left"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			show, errOut, code := runHistoryCLI(t, "", "--db", path, "--lang", tt.lang, "history", "show", "c-2030")
			if code != 0 {
				t.Fatalf("show: exit %d, %q", code, errOut)
			}
			md, errOut, code := runHistoryCLI(t, "", "--db", path, "--lang", tt.lang, "history", "export", "c-2030", "--format", "md")
			if code != 0 {
				t.Fatalf("export: exit %d, %q", code, errOut)
			}
			// The whole store's export goes through the checking reader
			// (ExportAll), labelled alike.
			all, errOut, code := runHistoryCLI(t, "", "--db", path, "--lang", tt.lang, "history", "export", "--format", "md", "--skip-damaged")
			if code != 0 {
				t.Fatalf("export of everything: exit %d, %q", code, errOut)
			}
			for _, w := range tt.markdown {
				if !strings.Contains(all, w) {
					t.Errorf("markdown of everything lacks %q:\n%s", w, all)
				}
			}
			for name, out := range map[string]string{"show": show, "markdown": md, "markdown of everything": all} {
				if n := strings.Count(out, tt.closed); n != 1 {
					t.Errorf("%s prints %d close events, want 1:\n%s", name, n, out)
				}
				for _, w := range tt.english {
					if strings.Contains(out, w) {
						t.Errorf("%s has %q:\n%s", name, w, out)
					}
				}
			}
			for _, w := range tt.show {
				if !strings.Contains(show, w) {
					t.Errorf("show lacks %q:\n%s", w, show)
				}
			}
			for _, w := range tt.markdown {
				if !strings.Contains(md, w) {
					t.Errorf("markdown lacks %q:\n%s", w, md)
				}
			}
		})
	}
}
