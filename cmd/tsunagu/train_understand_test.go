package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var scoreRE = regexp.MustCompile(`(?:Score|得点): ([0-9.]+) / 100`)

// playPlain plays one script through `tsunagu train --plain` and returns its
// output and total score.
func playPlain(t *testing.T, scenario, lang string, lines []string) (string, float64) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "t.db")
	args := []string{"--db", db, "--lang", lang, "--clock", "2026-11-26T10:00:00+09:00", "--seed", "1",
		"train", "--plain", "--scenario", scenario, "--trainee", "eval"}
	out, stderr, code := runTrainCLI(t, strings.Join(lines, "\n")+"\n", args...)
	if code != 0 {
		t.Fatalf("%s/%s: code %d, %s\n%s", scenario, lang, code, stderr, out)
	}
	m := scoreRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no score in:\n%s", out)
	}
	score, _ := strconv.ParseFloat(m[1], 64)
	return out, score
}

// TestTrainCardUnderstands holds the done-when examples, in both
// languages, through the line-mode session.
func TestTrainCardUnderstands(t *testing.T) {
	cases := []struct {
		name, scenario, lang string
		lines                []string
		check                func(out string, score float64) string
	}{
		{"keyword salad", "parcel-not-arrived", "en",
			[]string{"read your conversation sorry frustrating tracking trace within two days", "That's clear, thank you.", "/close"},
			under40},
		{"cue-stuffed line", "parcel-not-arrived", "en",
			[]string{"Sorry, frustrating, read your conversation, tracking, trace, within two days.", "/close"},
			under40},
		{"keyword salad ja", "parcel-not-arrived", "ja",
			[]string{"拝見 申し訳 ご不便 追跡 調査 明日中", "/close"}, under40},
		{"re-asked fact after don't worry", "parcel-not-arrived", "en",
			[]string{"Don't worry. What's your order number?", "/close"}, critical("Re-asked a fact")},
		{"re-asked fact ja", "parcel-not-arrived", "ja",
			[]string{"ご安心ください。ご注文番号を教えていただけますか？", "/close"}, critical("引き継ぎ済みの情報の再確認")},
		{"negation scoped to its clause", "parcel-not-arrived", "en",
			[]string{"You won't need your card number; what's your order number?", "/close"},
			func(out string, _ float64) string {
				if !strings.Contains(out, "pass     Card data") {
					return "the card item failed on a negated clause"
				}
				return critical("Re-asked a fact")(out, 0)
			}},
		{"insult", "parcel-not-arrived", "en",
			[]string{"I've read your chat with our assistant.", "You're being ridiculous, stop whining.", "/close"}, insulted},
		{"not my problem", "parcel-not-arrived", "en",
			[]string{"I've read your chat with our assistant.", "Calm down. That's not my problem…", "/close"}, insulted},
		{"insult ja", "parcel-not-arrived", "ja",
			[]string{"アシスタントとのやり取りを拝見しました。", "いい加減にしてください。文句ばかり言わないでください。", "/close"}, insulted},
		{"ordinary good phrasing", "parcel-not-arrived", "en",
			[]string{"I read your chat.", "Ugh, that's awful… let me chase the courier.", "If they can't find it, I'll send a replacement.", "You'll hear from me within 24 hours.", "/close"},
			func(out string, score float64) string {
				if !strings.Contains(out, "Opened by acknowledging") {
					return "\"I read your chat\" was not an acknowledgement"
				}
				for _, want := range []string{"“let me chase the courier”", "Gave 2 of 3"} {
					if !strings.Contains(out, want) && !strings.Contains(out, "Gave all 3") {
						return "missing " + want
					}
				}
				return ""
			}},
		{"refund approved and issued", "refund-closed-card", "en",
			[]string{"I've gone through your chat with the assistant.", "Your refund was approved.", "The refund was issued to your card; because it is closed, your card issuer will pass it on to you.", "It shows within 5 business days.", "/close"},
			func(out string, _ float64) string {
				if strings.Contains(out, "missing: Confirm the refund is approved") || !strings.Contains(out, "Opened by acknowledging") {
					return "\"your refund was approved\" or the acknowledgement was missed"
				}
				return ""
			}},
		{"plain good session ja 明日中に", "parcel-not-arrived", "ja",
			[]string{"アシスタントとのやり取りを拝見しました。", "お届けが遅れてしまい申し訳ございません。", "配送業者の追跡情報を確認しました。", "配送業者に調査を依頼し、見つからなければ代わりの商品をお送りします。", "明日中にご連絡いたします。", "/close"},
			atLeast(80)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, score := playPlain(t, tc.scenario, tc.lang, tc.lines)
			if msg := tc.check(out, score); msg != "" {
				t.Errorf("%s (score %.1f)\n%s", msg, score, out)
			}
		})
	}
}

func under40(_ string, score float64) string {
	if score >= 40 {
		return "a list of cue words scored 40 or more"
	}
	return ""
}

func atLeast(min float64) func(string, float64) string {
	return func(_ string, score float64) string {
		if score < min {
			return fmt.Sprintf("scored under %.0f", min)
		}
		return ""
	}
}

func critical(label string) func(string, float64) string {
	return func(out string, _ float64) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, label) && (strings.HasPrefix(l, "FAIL") || strings.HasPrefix(l, "不合格")) {
				return ""
			}
		}
		return "want a critical failure on " + label
	}
}

var moodRE = regexp.MustCompile(`\((?:mood) (\d+)\)`)

// insulted: politeness is not full, empathy is not full, and the customer's
// mood went down; the insult is never quoted as a resolution step.
func insulted(out string, _ float64) string {
	for _, l := range strings.Split(out, "\n") {
		for _, item := range []string{"Politeness", "言葉づかい", "Empathy", "共感"} {
			if strings.Contains(l, " "+item+":") && (strings.Contains(l, "10.0/10") || strings.Contains(l, "15.0/15")) {
				return "full marks on " + item + " after an insult"
			}
		}
	}
	if strings.Contains(out, "Gave all") || strings.Contains(out, "すべて案内") {
		return "an insult counted as a resolution step"
	}
	// The customer's goodbye after the close does not move the mood.
	inChat, _, _ := strings.Cut(out, "system: close")
	moods := moodRE.FindAllStringSubmatch(inChat, -1)
	if len(moods) == 0 {
		return "the customer did not react"
	}
	if len(moods) < 2 {
		return "the customer did not answer both lines"
	}
	before, _ := strconv.Atoi(moods[len(moods)-2][1])
	after, _ := strconv.Atoi(moods[len(moods)-1][1])
	if after >= before {
		return fmt.Sprintf("mood went from %d to %d after an insult", before, after)
	}
	return ""
}

type freshSession struct {
	Scenario string   `yaml:"scenario"`
	Lang     string   `yaml:"lang"`
	Verdict  string   `yaml:"verdict"`
	Lines    []string `yaml:"lines"`
}

// TestFreshSessionAgreement plays testdata/fresh_sessions.yaml (written
// before tuning, never tuned on) and reports how often the card agrees with
// the trainer's verdict: good passes (60 or more), bad does not.
func TestFreshSessionAgreement(t *testing.T) {
	data, err := os.ReadFile("testdata/fresh_sessions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Sessions []freshSession `yaml:"sessions"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	agree, good, goodHigh := 0, 0, 0
	for i, s := range f.Sessions {
		_, score := playPlain(t, s.Scenario, s.Lang, s.Lines)
		if s.Verdict == "good" {
			good++
			if score >= 80 {
				goodHigh++
			}
		}
		pass := score >= 60
		if pass == (s.Verdict == "good") {
			agree++
		} else {
			t.Logf("disagree #%d %s/%s %s: card %.1f", i+1, s.Scenario, s.Lang, s.Verdict, score)
		}
	}
	// Issue 13: a well-handled session in plain words that appear in no
	// example scores at least 80. These sessions were written before any
	// tuning and never tuned on, so they are that evidence.
	t.Logf("%d of %d good fresh sessions score 80 or more", goodHigh, good)
	if goodHigh*4 < good*3 {
		t.Errorf("only %d of %d good fresh sessions score 80 or more; want at least three in four", goodHigh, good)
	}
	rate := float64(agree) / float64(len(f.Sessions))
	t.Logf("the card agrees with the trainer on %d of %d fresh sessions (%.0f%%)", agree, len(f.Sessions), 100*rate)
	if rate < freshAgreementFloor {
		t.Errorf("agreement %.0f%% is below the %.0f%% recorded in the README", 100*rate, 100*freshAgreementFloor)
	}
}

// freshAgreementFloor is the agreement measured when the README was written.
const freshAgreementFloor = 0.95
