package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/transcripts"
	"tsunagu/tui/components"
	"tsunagu/tui/internal/tuitest"
)

// chatWith returns a model on the chat screen holding n messages of mixed
// length and script, at 100×30.
func chatWith(b *testing.B, n int) *Model {
	b.Helper()
	h := newHarness(b, harnessOpts{noStore: true})
	h.send(storeOpenedMsg{err: os.ErrNotExist})
	h.startChat()
	fill(h.m, n)
	h.m.View()
	return h.m
}

func fill(m *Model, n int) {
	texts := []string{
		"Where is my order? It was supposed to arrive yesterday.",
		"ご注文の商品が届いていない件、確認いたします。少々お待ちください。",
		strings.Repeat("A longer message that wraps over several lines in the transcript. ", 4),
		"👍🏽 thanks!",
	}
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, tuitest.JST)
	for i := range n {
		role := components.Role(i % 3)
		m.chat.Transcript().Append(components.Message{Role: role, Label: "Speaker", At: at.Add(time.Duration(i) * time.Second), Text: texts[i%len(texts)]})
	}
}

// A keystroke in the input plus the frame it causes, with 10,000 messages.
func BenchmarkKeystrokeView10k(b *testing.B) {
	m := chatWith(b, 10000)
	k := tea.KeyPressMsg{Code: 'a', Text: "a"}
	bs := tea.KeyPressMsg{Code: tea.KeyBackspace}
	b.ResetTimer()
	for i := range b.N {
		if i%2 == 0 {
			m.Update(k)
		} else {
			m.Update(bs)
		}
		_ = m.View()
	}
}

// Appending one message to a 10,000-message transcript and drawing it.
func BenchmarkAppendMessage10k(b *testing.B) {
	m := chatWith(b, 10000)
	msg := components.Message{Role: components.RoleOperator, Label: "Tanaka", Text: "承知しました。確認いたします。"}
	b.ResetTimer()
	for range b.N {
		m.chat.Transcript().Append(msg)
		_ = m.View()
	}
}

// A resize with 10,000 messages: only the visible messages are re-wrapped.
func BenchmarkResize10k(b *testing.B) {
	m := chatWith(b, 10000)
	sizes := []tea.WindowSizeMsg{{Width: 120, Height: 40}, {Width: 80, Height: 24}, {Width: 100, Height: 30}}
	b.ResetTimer()
	for i := range b.N {
		m.Update(sizes[i%len(sizes)])
		_ = m.View()
	}
}

// Scrolling a page up through 10,000 messages (re-wrapping lazily after a
// resize).
func BenchmarkScrollPage10k(b *testing.B) {
	m := chatWith(b, 10000)
	up := tea.KeyPressMsg{Code: tea.KeyPgUp}
	b.ResetTimer()
	for range b.N {
		m.Update(up)
		_ = m.View()
	}
}

// Start to first frame: building the app from its configuration, Init, the
// first WindowSizeMsg and View. Opening the store and loading the rules
// are commands Init starts; they run after this frame.
func BenchmarkStartToFirstFrame(b *testing.B) {
	dir := b.TempDir()
	for i := range b.N {
		path := filepath.Join(dir, fmt.Sprintf("t%d.db", i))
		m := New(Config{Lang: "ja", Profile: profile.Demo(), Clock: handoff.NewVirtualClock(time.Now()), Seed: 1,
			OpenStore: func() (chat.Store, error) { return transcripts.Open(path, transcripts.Options{Timeout: time.Second}) },
			LoadBot:   func() (chat.Bot, error) { return chat.NewBot(bot.NewEngine(bot.DefaultRules())), nil }})
		_ = m.Init() // commands not run: they are the background work
		m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		if !strings.Contains(m.View().Content, "つなぐ") {
			b.Fatal("no first frame")
		}
	}
}

// Opening (creating) the store, which happens in a command after the
// first frame.
func BenchmarkStoreOpen(b *testing.B) {
	dir := b.TempDir()
	for i := range b.N {
		s, err := transcripts.Open(filepath.Join(dir, fmt.Sprintf("t%d.db", i)), transcripts.Options{Timeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// TestPrintRSS10k prints the resident memory of the app holding a
// 10,000-message conversation, drawn once at 100×30 and once after scrolling
// to the top (so every message's lines are cached). Run it with
// TSUNAGU_RSS=1 go test -run TestPrintRSS10k -v ./tui/
func TestPrintRSS10k(t *testing.T) {
	if os.Getenv("TSUNAGU_RSS") == "" {
		t.Skip("set TSUNAGU_RSS=1 to print the RSS figure")
	}
	h := newHarness(t, harnessOpts{noStore: true})
	h.send(storeOpenedMsg{err: os.ErrNotExist})
	h.startChat()
	fill(h.m, 10000)
	h.m.View()
	h.m.chat.Transcript().ScrollUp(1 << 30)
	h.m.View()
	runtime.GC()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmRSS") || strings.HasPrefix(l, "VmHWM") {
			t.Log(l)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("Go heap in use: %.1f MB (bot rules loaded: yes)", float64(ms.HeapInuse)/(1<<20))
}
