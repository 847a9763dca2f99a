package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tsunagu/handoff/training"
)

// The done-when for review: `train history --json` has ids and
// dates; `train replay ID` prints the trainee's lines with the card items
// beside them; `train export ID` includes the transcript. Both languages.
func TestTrainReviewHistoryReplayExport(t *testing.T) {
	lines := map[string][]string{
		"en": {
			"Hi Naoko, I've read your conversation with our assistant about the surprise fee. I'm sorry, I understand how annoying that is.",
			"I've cancelled your membership. Your benefits end today.",
			"/close",
		},
		"ja": {
			"田中様、担当の山本です。アシスタントとのやり取りを拝見しました。会費が引き落とされた件ですね。ご不便をおかけして申し訳ございません。",
			"会員を解約いたしました。特典は本日で終了します。",
			"/close",
		},
	}
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "t.db")
			if out, stderr, code := runTrainCLI(t, strings.Join(lines[lang], "\n")+"\n", plainTrainArgs(db, lang)...); code != 0 {
				t.Fatalf("session: %d %s\n%s", code, stderr, out)
			}
			base := []string{"--db", db, "--lang", lang}

			out, _, code := runTrainCLI(t, "", append(base, "train", "history", "--json")...)
			var review training.Review
			if err := json.Unmarshal([]byte(out), &review); err != nil || code != 0 {
				t.Fatalf("history --json: %v %s", err, out)
			}
			if len(review.Sessions) != 1 {
				t.Fatalf("sessions %+v", review.Sessions)
			}
			row := review.Sessions[0]
			if row.ID != 1 || row.At.IsZero() || row.Trainee != "amy" || row.ScenarioID != "cancel-membership" || row.Lines == 0 {
				t.Errorf("the session row lacks its id, date or transcript: %+v", row)
			}
			if want := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC); row.At.Year() != want.Year() {
				t.Errorf("date %v", row.At)
			}
			if len(review.Trends) != 1 || len(review.Trends[0].Items) == 0 {
				t.Errorf("no trend per trainee and item: %+v", review.Trends)
			}

			out, _, code = runTrainCLI(t, "", append(base, "train", "history")...)
			for _, want := range []string{"1 ", "2026-11-26", "amy", "cancel-membership", "█"} {
				if code != 0 || !strings.Contains(out, want) {
					t.Errorf("history text lacks %q:\n%s", want, out)
				}
			}

			out, stderr, code := runTrainCLI(t, "", append(base, "train", "replay", "1")...)
			if code != 0 {
				t.Fatalf("replay: %d %s", code, stderr)
			}
			for _, l := range lines[lang][:2] {
				if !strings.Contains(out, l) {
					t.Errorf("replay lacks the trainee's line %q:\n%s", l, out)
				}
			}
			// A card item is printed right after the line that decided it.
			first := strings.Index(out, lines[lang][0])
			if arrow := strings.Index(out, "↳"); arrow < first || first < 0 {
				t.Errorf("no card item beside the trainee's first line:\n%s", out)
			}

			out, _, code = runTrainCLI(t, "", append(base, "train", "export", "1")...)
			heading := map[string]string{"en": "## Transcript", "ja": "## やり取り"}[lang]
			if code != 0 || !strings.Contains(out, heading) || !strings.Contains(out, "/close") {
				t.Errorf("export lacks the transcript:\n%s", out)
			}
		})
	}
}

func TestTrainReviewErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	if _, _, code := runTrainCLI(t, "/close\n", plainTrainArgs(db, "en")...); code != 0 {
		t.Fatal("session failed")
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"train", "replay", "9"}, 1, "no training session 9"},
		{[]string{"train", "export", "9"}, 1, "no training session 9"},
		{[]string{"train", "replay", "x"}, 2, "must be a number"},
		{[]string{"train", "replay"}, 2, "needs one SESSION"},
	}
	for _, tc := range tests {
		_, stderr, code := runTrainCLI(t, "", append([]string{"--db", db}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: code %d, %s", tc.args, code, stderr)
		}
	}
	_, stderr, code := runTrainCLI(t, "", "--db", filepath.Join(t.TempDir(), "none.db"), "train", "history")
	if code != 1 || !strings.Contains(stderr, "no store") {
		t.Errorf("history without a store: %d %s", code, stderr)
	}
}
