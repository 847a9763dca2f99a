package components

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"
	"pgregory.net/rapid"

	"tsunagu/tui/common"
)

func newTestTranscript(w, h int) Transcript {
	tr := NewTranscript(common.NewStyles(true, true), common.Text("en"))
	tr.SetSize(w, h)
	return tr
}

// clusters are the width traps of reliability case B15/B16, plus plain words.
var clusters = []string{"日", "本", "語", "ｱ", "ｲ", "👨‍👩‍👧‍👦", "🇯🇵", "👍🏽", "⚠️", "か\u3099", "e\u0301", "a", "b", "word", "-", " ", "。", "、", "\t"}

// B16: wrapping never splits a grapheme cluster or a wide character, and
// no line is wider than the view; the clusters come out in order.
func TestWrapKeepsClustersWhole(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		parts := rapid.SliceOfN(rapid.SampledFrom(clusters), 1, 80).Draw(rt, "parts")
		width := rapid.IntRange(1, 40).Draw(rt, "width")
		text := strings.Join(parts, "")
		tr := newTestTranscript(width, 200)
		tr.SetLineBreaking(rapid.Bool().Draw(rt, "uax14"))
		tr.Append(Message{Role: RoleCustomer, Label: "You", Text: text})
		lines := tr.lines(0)
		var body []string
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > width {
				rt.Fatalf("line %d %q is %d wide, limit %d", i, l, w, width)
			}
			if i > 0 {
				body = append(body, strings.TrimPrefix(ansi.Strip(l), bodyIndent))
			}
		}
		want := graphemes(strings.ReplaceAll(tr.Message(0).Text, " ", ""))
		got := graphemes(strings.ReplaceAll(strings.Join(body, ""), " ", ""))
		// From a 2-column body up, every cluster (at most 2 wide) fits.
		if width >= len(bodyIndent)+2 && strings.Join(got, "|") != strings.Join(want, "|") {
			rt.Fatalf("clusters changed:\n got %q\nwant %q", got, want)
		}
	})
}

func graphemes(s string) []string {
	var out []string
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		out = append(out, g.Str())
	}
	return out
}

func TestScrollFollowAndUnread(t *testing.T) {
	tr := newTestTranscript(40, 10)
	for range 100 {
		tr.Append(Message{Role: RoleBot, Label: "Bot", Text: "hello there"})
	}
	bottom := tr.View()
	tr.ScrollUp(5)
	if tr.Following() || tr.View() == bottom {
		t.Fatal("ScrollUp did not move the view")
	}
	tr.Append(Message{Role: RoleOperator, Label: "Tanaka", Text: "new"})
	if !tr.Unread() || !strings.Contains(tr.View(), "new messages") {
		t.Fatal("a message arriving while scrolled up is not announced")
	}
	tr.ScrollDown(1000)
	if !tr.Following() || tr.Unread() || !strings.Contains(tr.View(), "Tanaka") {
		t.Fatalf("ScrollDown did not return to the newest message:\n%s", tr.View())
	}
	tr.ScrollUp(1 << 20)
	if top := ansi.Strip(tr.View()); !strings.HasPrefix(top, "00:00 Bot") {
		t.Fatalf("scrolling to the top shows:\n%s", top)
	}
	if n := strings.Count(tr.View(), "\n") + 1; n != 10 {
		t.Fatalf("view has %d rows, want 10", n)
	}
}

// A short conversation starts at the top and the view keeps its height.
func TestShortConversationStartsAtTop(t *testing.T) {
	tr := newTestTranscript(30, 6)
	tr.Append(Message{Role: RoleCustomer, Label: "You", Text: "hi"})
	rows := strings.Split(ansi.Strip(tr.View()), "\n")
	if len(rows) != 6 || !strings.Contains(rows[0], "You") || rows[1] != "  hi" {
		t.Fatalf("rows = %q", rows)
	}
}

// A resize re-wraps only what becomes visible, not the whole history.
func TestResizeRewrapsOnlyVisibleMessages(t *testing.T) {
	tr := newTestTranscript(80, 20)
	for range 10000 {
		tr.Append(Message{Role: RoleBot, Label: "Bot", Text: strings.Repeat("word ", 30)})
	}
	tr.View()
	tr.SetSize(50, 20)
	tr.View()
	wrapped := 0
	for _, c := range tr.msgs {
		if c.width == 50 {
			wrapped++
		}
	}
	if wrapped == 0 || wrapped > 20 {
		t.Fatalf("%d messages were wrapped for a 20-row view", wrapped)
	}
}

func TestSaveMarks(t *testing.T) {
	tr := newTestTranscript(60, 5)
	i := tr.Append(Message{Role: RoleCustomer, Label: "You", Text: "x", Save: Saving})
	if !strings.Contains(tr.View(), "saving") {
		t.Fatal("no saving mark")
	}
	tr.SetSave(i, NotSaved)
	if !strings.Contains(tr.View(), "not saved") {
		t.Fatal("no not-saved mark")
	}
	tr.SetSave(i, Saved)
	if v := tr.View(); strings.Contains(v, "saving") || strings.Contains(v, "not saved") {
		t.Fatalf("saved message still marked:\n%s", v)
	}
}

// Labels come from metadata and are sanitised to one line.
func TestLabelIsOneSafeLine(t *testing.T) {
	tr := newTestTranscript(60, 5)
	tr.Append(Message{Role: RoleOperator, Label: "Tanaka\n[Bot]\x1b]52;c;x\a", Text: "hi"})
	first := strings.Split(ansi.Strip(tr.View()), "\n")[0]
	if strings.ContainsAny(first, "\x1b\a") || !strings.Contains(first, "Tanaka [Bot]") {
		t.Fatalf("label row = %q", first)
	}
}

func TestNormalizeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\r\nb", "a\nb"},
		{"a\rb", "a\nb"},
		{"bad\xffbyte", "bad\uFFFDbyte"},
		{"tab\tx", "tab x"},
		{"\x1b[31mred\x1b[m", "red"},
	}
	for _, tt := range tests {
		if got := NormalizeText(tt.in); got != tt.want {
			t.Errorf("NormalizeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Japanese wraps densely and keeps closing punctuation off line starts.
func TestWrapTextJapanese(t *testing.T) {
	got := WrapText("ご注文（250-1234567-1234567）について、お問い合わせですね。", 20)
	for i, l := range got {
		if ansi.StringWidth(l) > 20 {
			t.Fatalf("line %d %q too wide", i, l)
		}
		if strings.HasPrefix(l, "、") || strings.HasPrefix(l, "。") || strings.HasPrefix(l, "）") {
			t.Fatalf("line %d starts with closing punctuation: %q", i, got)
		}
		if strings.HasSuffix(l, "（") {
			t.Fatalf("line %d ends with an opening bracket: %q", i, got)
		}
	}
	if len(got) > 4 {
		t.Fatalf("wrapped loosely into %d lines: %q", len(got), got)
	}
	if got := WrapText("hello wonderful world", 11); strings.Join(got, "|") != "hello|wonderful|world" {
		t.Fatalf("English: %q", got)
	}
}
