// Command benchhistory measures the history browser on a real store, the
// way a person uses it, and prints the figures the README reports:
//
//	go run ./scripts/benchhistory -db /tmp/tsunagu-bench/history-100k.db
//
// It drives history.Model through its public API (New, Init, Update,
// Frame) in one process, running every command synchronously, so each
// figure is the whole cost of a key: Update, the store calls it starts
// (a page fetch, a search, the visible rows' details) and the next frame.
// The search debounce is disabled, so every search keystroke runs a full
// search: the worst case. scripts/bench-history.sh builds the 100,000
// conversation store and runs this.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"tsunagu/tui/history"
)

func main() {
	db := flag.String("db", "", "conversation store to browse (required)")
	lang := flag.String("lang", "ja", "UI language")
	width := flag.Int("width", 120, "terminal width")
	height := flag.Int("height", 40, "terminal height")
	downs := flag.Int("downs", 3000, "how many ↓ presses")
	pages := flag.Int("pages", 300, "how many PgDn presses (then as many PgUp)")
	everyKey := flag.Bool("every-key", false, "run a search on every key, as if the debounce were off")
	flag.Parse()
	if *db == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: benchhistory -db FILE [-lang ja|en] [-width W -height H]")
		os.Exit(2)
	}
	if _, err := os.Stat(*db); err != nil {
		fmt.Fprintf(os.Stderr, "benchhistory: %v.\n", err)
		os.Exit(1)
	}

	start := time.Now()
	h := history.New(history.Config{
		Lang: *lang, NoColor: true,
		Open: history.Opener(*db, time.Second, nil),
		// Timers (the search debounce) are held, and fired by flush: as if
		// typing paused, or, with -every-key, right away.
		Tick: func(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
			return func() tea.Msg { return heldTimer(fn) }
		},
	})
	d := &driver{h: h}
	d.send(tea.WindowSizeMsg{Width: *width, Height: *height})
	d.run(h.Init())
	frame := h.Frame()
	first := time.Since(start)
	firstRSS, _ := memory()
	if !strings.Contains(frame, "›") {
		fmt.Fprintf(os.Stderr, "benchhistory: the first frame shows no rows:\n%s\n", frame)
		os.Exit(1)
	}

	var list []time.Duration
	key := func(k tea.KeyPressMsg) { list = append(list, d.timed(k)) }
	for range *downs {
		key(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	for range *pages {
		key(tea.KeyPressMsg{Code: tea.KeyPgDown})
	}
	for range *pages {
		key(tea.KeyPressMsg{Code: tea.KeyPgUp})
	}
	key(tea.KeyPressMsg{Code: tea.KeyHome})
	listRSS, _ := memory()

	// Search: each key's frame (the search waits for a pause in typing),
	// and each search from the pause to its results on screen. With
	// -every-key, every key runs its own search at once (the worst case).
	var searchKeys, searches []time.Duration
	queries := []string{"返品したい", "届きません", "refund", "tracking", "パスワード", "double charge", "配送業者", "broken"}
	for _, q := range queries {
		for _, r := range q {
			k := tea.KeyPressMsg{Code: r, Text: string(r)}
			if r == ' ' {
				k.Code = tea.KeySpace
			}
			searchKeys = append(searchKeys, d.timed(k))
			if *everyKey {
				searches = append(searches, d.timedFlush())
			}
		}
		if !*everyKey {
			searches = append(searches, d.timedFlush())
		}
		for range len([]rune(q)) {
			searchKeys = append(searchKeys, d.timed(tea.KeyPressMsg{Code: tea.KeyBackspace}))
		}
		d.timedFlush()
	}
	// Open a conversation found by a search, jump between hits, go back.
	for _, r := range "返品" {
		d.timed(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	d.timedFlush()
	open := d.timed(tea.KeyPressMsg{Code: tea.KeyEnter})
	jump := d.timed(tea.KeyPressMsg{Code: 'n', Text: "n"})
	back := d.timed(tea.KeyPressMsg{Code: tea.KeyEscape})

	rss, hwm := memory()
	fmt.Printf("store:            %s\n", *db)
	fmt.Printf("terminal:         %dx%d, lang %s\n", *width, *height, *lang)
	fmt.Printf("first frame with rows: %s\n", ms(first))
	fmt.Printf("list keys (%d):   p50 %s  p99 %s  max %s\n", len(list), pct(list, 50), pct(list, 99), pct(list, 100))
	fmt.Printf("search keys (%d):  p50 %s  p99 %s  max %s\n", len(searchKeys), pct(searchKeys, 50), pct(searchKeys, 99), pct(searchKeys, 100))
	mode := "once per pause in typing"
	if *everyKey {
		mode = "one per key, -every-key"
	}
	fmt.Printf("searches (%d, %s): p50 %s  p99 %s  max %s\n", len(searches), mode, pct(searches, 50), pct(searches, 99), pct(searches, 100))
	fmt.Printf("open conversation %s, next hit %s, back %s\n", ms(open), ms(jump), ms(back))
	fmt.Printf("RSS after the first frame %d MB, after the list keys %d MB, at the end %d MB (peak %d MB)\n", firstRSS>>10, listRSS>>10, rss>>10, hwm>>10)
	anon, file := rssParts()
	fmt.Printf("  at the end: %d MB heap and stacks (RssAnon), %d MB pages of the store file mapped by bbolt (RssFile)\n", anon>>10, file>>10)
}

// driver runs the model like Bubble Tea's loop, synchronously.
type driver struct {
	h      *history.Model
	timers []heldTimer
}

type heldTimer func(time.Time) tea.Msg

// timedFlush fires the held timers and times everything they cause.
func (d *driver) timedFlush() time.Duration {
	t := time.Now()
	for len(d.timers) > 0 {
		due := d.timers
		d.timers = nil
		for _, fn := range due {
			d.send(fn(time.Now()))
		}
	}
	_ = d.h.Frame()
	return time.Since(t)
}

func (d *driver) send(msg tea.Msg) {
	_, cmd := d.h.Update(msg)
	d.run(cmd)
}

func (d *driver) timed(msg tea.Msg) time.Duration {
	t := time.Now()
	d.send(msg)
	_ = d.h.Frame()
	return time.Since(t)
}

func (d *driver) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch m := msg.(type) {
		case nil, tea.QuitMsg:
			continue
		case heldTimer:
			d.timers = append(d.timers, m)
			continue
		case tea.BatchMsg:
			queue = append(queue, m...)
			continue
		}
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			for i := range v.Len() {
				queue = append(queue, v.Index(i).Interface().(tea.Cmd))
			}
			continue
		}
		_, next := d.h.Update(msg)
		queue = append(queue, next)
	}
}

func pct(ds []time.Duration, p int) string {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return ms(s[min(max(i-1, 0), len(s)-1)])
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// memory reads VmRSS and VmHWM (peak) in KiB from /proc/self/status.
func memory() (rss, hwm int) {

	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var n int
		line := sc.Text()
		if _, err := fmt.Sscanf(line, "VmRSS: %d kB", &n); err == nil {
			rss = n
		}
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &n); err == nil {
			hwm = n
		}
	}
	return rss, hwm
}

// rssParts reads RssAnon and RssFile in KiB: what the process allocated, and
// the pages of the memory-mapped store it has touched (the kernel can drop
// those at any time).
func rssParts() (anon, file int) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		var n int
		if _, err := fmt.Sscanf(l, "RssAnon: %d kB", &n); err == nil {
			anon = n
		}
		if _, err := fmt.Sscanf(l, "RssFile: %d kB", &n); err == nil {
			file = n
		}
	}
	return anon, file
}
