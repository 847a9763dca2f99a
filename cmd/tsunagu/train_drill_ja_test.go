package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTrainDrillPlainJapanese: `train drill --plain --lang ja` is Japanese
// throughout: the intro, the multi-turn history, every error for a bad
// answer, the explanations, the score and the saved line. No English phrase
// of the plain drill appears, and no ASCII word at all (only the answer
// keys a, c, e and numbers).
func TestTrainDrillPlainJapanese(t *testing.T) {
	answers := "x\n\ne\ne 9\ne not_a_reason\na\nc\ne 1\ne 3\n" + strings.Repeat("e 5\n", 12)
	db := filepath.Join(t.TempDir(), "t.db")
	out, stderr, code := runTrainCLI(t, answers, "--db", db, "--lang", "ja", "--seed", "2", "train", "drill", "--plain", "--trainee", "kim")
	if code != 0 {
		t.Fatalf("code %d: %s\n%s", code, stderr, out)
	}
	english := []string{"For each customer message", "should answer", "The chat so far", "customer:", "bot:", "then:",
		"is not a, c or e", "type a, c or e", "an escalation needs a reason", "the reason number must be", "one of",
		"Escalate:", "Clarify:", "Answer:", "The bot hands over", "self-service", "numbered choices", "Score",
		"Drill results saved", "human_requested", "no_progress", "the drill is finished", "the action must be"}
	for _, e := range english {
		if strings.Contains(out, e) {
			t.Errorf("the ja drill prints English %q:\n%s", e, out)
		}
	}
	if words := regexp.MustCompile(`[A-Za-z]{2,}`).FindAllString(out, -1); len(words) > 0 {
		t.Errorf("the ja drill prints ASCII words %q:\n%s", words, out)
	}
	japanese := []string{"お客様のメッセージごとに", "1 担当者との会話を希望", "「x」は a、c、e のどれでもありません",
		"a、c、または e と理由の番号を入力してください", "エスカレーションには理由が必要です。例：e 3", "理由の番号は 1〜6 です",
		"エスカレーションには理由が必要です。次のいずれか：1 担当者との会話を希望", "これまでのやり取り：", "お客様：", "ボット：", "続けて：",
		"場合、ボットは担当者に引き継ぎます。", "得点 ", "ドリルの結果を保存しました。セッション 1"}
	for _, j := range japanese {
		if !strings.Contains(out, j) {
			t.Errorf("the ja drill lacks %q:\n%s", j, out)
		}
	}
	if !strings.Contains(out, "15/15") {
		t.Errorf("not every question was asked:\n%s", out)
	}
}

// TestParseDrillAnswerNumbers: the plain drill takes reasons by number, in
// the order the intro lists them (and the full-screen drill's keys 1-6).
func TestParseDrillAnswerNumbers(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		a, r, err := parseDrillAnswer("e 3", lang)
		if err != nil || a != "escalate" || r != "complaint" {
			t.Errorf("%s: e 3 = %q %q %v", lang, a, r, err)
		}
		if _, _, err := parseDrillAnswer("e 7", lang); err == nil {
			t.Errorf("%s: e 7 accepted", lang)
		}
		if _, r, err := parseDrillAnswer("e unresolved", lang); err != nil || r != "unresolved" {
			t.Errorf("%s: e unresolved = %q %v", lang, r, err)
		}
	}
}
