package handoff

import "testing"

func TestBasicLevelKeepsStepsShort(t *testing.T) {
	tests := []struct{ in, want string }{
		{"まず、返金を承認いたします（返送が必要なら返送ラベルを発行）。次に連絡します。", "まず、返金を承認いたします。"},
		{"First, I'll approve the refund (and send a label). Then more.", "First, I'll approve the refund."},
		{"No notes here.", "No notes here."},
		{"Unclosed （note", "Unclosed （note"},
	}
	for _, tt := range tests {
		if got := withoutNotes(firstSentence(tt.in)); got != tt.want {
			t.Errorf("%q -> %q, want %q", tt.in, got, tt.want)
		}
	}
}
