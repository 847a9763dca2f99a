package tui

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/bot/profile"
	engine "tsunagu/handoff/chat"
	"tsunagu/transcripts"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
	"tsunagu/tui/history"
	"tsunagu/tui/internal/lane"
	"tsunagu/tui/pages/chat"
	"tsunagu/tui/pages/flow"
)

// Config is everything the app needs. Slow dependencies are functions, run
// as commands after the first frame.
type Config struct {
	Lang    string           // "ja" or "en": the whole UI and the bot's default
	Profile *profile.Profile // the signed-in demo customer and the shop
	Clock   common.Clock
	Seed    uint64
	NoColor bool // NO_COLOR is set
	// OpenStore opens the conversation store. The app calls it once at
	// start for the history, and the conversation engine again until it
	// succeeds, so it must return the same store every time it succeeds.
	OpenStore func() (engine.Store, error)
	LoadBot   func() (engine.Bot, error)
	// NewDesk starts the operator desk for one conversation.
	NewDesk   func(conversation string) (engine.Desk, error)
	Callbacks engine.Callbacks
	// TickEvery is how often, in real time, the desk is advanced while a
	// chat waits for or talks with an operator. Zero means 250 ms.
	TickEvery time.Duration
	// NewID names a new conversation. nil uses the time and the seeded
	// source, which repeats between runs with the same --clock and --seed;
	// the app passes one that cannot.
	NewID func(start time.Time) string
	// RecoveryDir is where entries the store never took are written when
	// the customer quits without waiting for them ("" is the current
	// folder); `tsunagu history import` reads the file.
	RecoveryDir string
	// Served: the app runs for a customer of `tsunagu serve`, whose store
	// holds everybody's conversations: no history browser (so no resume,
	// export or delete of anyone's conversation) and no command to run
	// offered at the close. ResumeID must be empty.
	Served bool
	// ResumeID, when set, opens the app on that stored conversation instead
	// of the start screen ("tsunagu history" hands over to the chat).
	ResumeID string
	// Tick makes the tick command; tests replace it to drive time by hand.
	Tick func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
	// MessageLimit caps how fast the customer sends chat messages; the zero
	// value is no limit (the local app). The SSH server sets one.
	MessageLimit MessageLimit
}

// MessageLimit is a token bucket over the app's clock: Burst messages at
// once, then PerMinute a minute. A message over the limit is held in the
// input box with a notice, never dropped.
type MessageLimit struct {
	PerMinute int // 0: no limit
	Burst     int // 0: PerMinute
	// Clock is what the limit counts on; nil is the app's clock. A server
	// whose simulated clock runs faster (--speed) passes the wall clock, so
	// a minute of the limit is a real minute.
	Clock common.Clock
}

type screen int

const (
	screenStart screen = iota
	screenOrder
	screenTopic
	screenChannel
	screenPhone
	screenBooked
	screenChat
	screenRate
	screenClosed
	screenHistory // the history browser, opened on the conversation just closed
)

// Model is the root model of the customer app.
type Model struct {
	cfg  Config
	lang string
	text *common.Strings
	st   *common.Styles
	keys common.Keys
	help help.Model

	width, height int
	fullHelp      bool
	screen        screen

	store    engine.Store
	storeErr error
	bot      engine.Bot

	lanes [laneCount]lane.Lane

	start   flow.Start
	orders  flow.Order
	topics  flow.Topic
	channel flow.Channel
	phone   chat.Phone
	chat    chat.Page
	rate    chat.Rate
	closed  chat.Closed

	sess  *session
	fatal string // an error that ends the app, shown until a key is pressed

	quitting   bool                   // Ctrl+C: quit once the engine lane is idle and no retry waits
	recovered  recoveredMsg           // what a second Ctrl+C wrote to a recovery file
	retryWait  []*engine.Conversation // the conversations whose store retry waits for its timer
	convs      []*engine.Conversation // every conversation of this run, for quitting
	hist       *history.Model         // the embedded history browser, once opened
	histReturn screen                 // where leaving the history goes back to

	sendTokens float64   // what MessageLimit has left
	sendAt     time.Time // when sendTokens was counted
	sendHeld   bool      // a message was held: the notice shows until one is sent
}

// New builds the app. Nothing slow happens here: Init starts the store and
// the rules in commands.
func New(cfg Config) *Model {
	if open := cfg.OpenStore; open != nil {
		cfg.OpenStore = onceOpened(open)
	}
	if cfg.Profile == nil {
		cfg.Profile = profile.Demo()
	}
	if cfg.TickEvery <= 0 {
		cfg.TickEvery = 250 * time.Millisecond
	}
	if cfg.Tick == nil {
		cfg.Tick = tea.Tick
	}
	if cfg.Lang != "ja" {
		cfg.Lang = "en"
	}
	m := &Model{cfg: cfg, lang: cfg.Lang, text: common.Text(cfg.Lang)}
	for i := range m.lanes {
		m.lanes[i] = lane.New(lane.ID(i))
	}
	m.keys = common.NewKeys(m.text)
	m.help = help.New()
	m.setTheme(true)
	e := m.env()
	m.start = flow.NewStart(e)
	m.orders = flow.NewOrder(e)
	m.topics = flow.NewTopic(e)
	m.channel = flow.NewChannel(e, "")
	m.phone = chat.NewPhone(e, nil, time.Time{})
	m.rate = chat.NewRate(e, false)
	m.closed = chat.NewClosed(e, false)
	if cfg.ResumeID != "" {
		m.sess = &session{id: cfg.ResumeID, resuming: true, lineIdx: map[int]int{}}
		m.chat = chat.New(e)
		_ = m.chat.Input().Focus() // the customer may type while it loads; the blink starts once loaded
		m.screen = screenChat
	}
	m.syncScreens()
	return m
}

// onceOpened wraps open so that once it has succeeded, every later call
// returns that store instead of opening the file again; a failure is not
// kept, so the next call tries again (a store busy at start is picked up
// once it is free).
func onceOpened(open func() (engine.Store, error)) func() (engine.Store, error) {
	var mu sync.Mutex
	var opened engine.Store
	return func() (engine.Store, error) {
		mu.Lock()
		defer mu.Unlock()
		if opened != nil {
			return opened, nil
		}
		st, err := open()
		if err == nil && st != nil {
			opened = st
		}
		return st, err
	}
}

// env is what the screens read: the theme, strings, keys, language and
// profile.
func (m *Model) env() common.Env {
	return common.Env{Styles: m.st, Text: m.text, Keys: m.keys, Lang: m.lang, Profile: m.cfg.Profile, Served: m.cfg.Served}
}

func (m *Model) setTheme(isDark bool) {
	m.st = common.NewStyles(isDark, m.cfg.NoColor)
	m.help.Styles = help.DefaultStyles(isDark)
	if m.cfg.NoColor {
		m.help.Styles = help.Styles{}
	}
	m.start.SetStyles(m.st)
	m.orders.SetStyles(m.st)
	m.topics.SetStyles(m.st)
	m.channel.SetStyles(m.st)
	m.phone.SetStyles(m.st)
	m.rate.SetStyles(m.st)
	m.closed.SetStyles(m.st)
	m.chat.SetStyles(m.st)
}

type storeOpenedMsg struct {
	store engine.Store
	err   error
}

type botLoadedMsg struct {
	bot engine.Bot
	err error
}

// Init asks for the background colour and starts the slow work.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if open := m.cfg.OpenStore; open != nil {
		cmds = append(cmds, func() tea.Msg { s, err := open(); return storeOpenedMsg{s, err} })
	}
	if load := m.cfg.LoadBot; load != nil {
		cmds = append(cmds, func() tea.Msg { b, err := load(); return botLoadedMsg{b, err} })
	}
	return tea.Batch(cmds...)
}

// Update is the root of all state changes.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.syncScreens()
	return m, cmd
}

// syncScreens hands the conversation's screens what they render: the
// engine's last snapshot, and whether the history can be opened. Every
// Update ends with it, so they never draw or judge a key on an old one.
func (m *Model) syncScreens() {
	if s := m.sess; s != nil {
		m.chat.SetState(s.st, s.resuming)
		m.closed.SetState(s.id, s.st, m.historyStore() != nil)
	}
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 0), max(msg.Height, 0)
		m.layout()
		if m.hist != nil {
			_, cmd := m.hist.Update(msg)
			return cmd
		}
		return nil
	case tea.BackgroundColorMsg:
		m.setTheme(msg.IsDark())
		if m.hist != nil {
			m.hist.Update(msg)
		}
		return nil
	case historyClosedMsg:
		m.show(m.histReturn)
		return nil
	case lane.DoneMsg:
		next := m.lanes[msg.Lane].Next()
		cmd := tea.Batch(next, m.update(msg.Msg))
		if m.quitting && m.storeIdle() {
			return tea.Quit
		}
		return cmd
	case recoveredMsg:
		m.recovered = msg
		return nil
	case storeOpenedMsg:
		m.store, m.storeErr = msg.store, msg.err
		if msg.err != nil {
			m.store = nil
		}
		if id := m.cfg.ResumeID; id != "" && m.sess != nil && m.sess.resuming && m.sess.id == id {
			if msg.err != nil {
				m.fatal = fmt.Sprintf(m.text.ResumeFailed, common.OneLine(msg.err))
				return nil
			}
			return m.resume(id)
		}
		return nil
	case botLoadedMsg:
		m.bot = msg.bot
		if msg.err != nil {
			// Without its rules the app can neither offer topics nor chat:
			// say why now, whatever screen the customer is on.
			m.bot = nil
			m.fatal = fmt.Sprintf(m.text.LoadFailed, common.OneLine(msg.err))
			return nil
		}
		m.topics.SetMenu(m.menu()) // replays keys pressed on the topic screen while it loaded
		cmd := m.botReady()
		if choice := m.topics.Take(); choice != nil && m.screen == screenTopic {
			return tea.Batch(cmd, m.update(choice))
		}
		return cmd
	case tea.KeyPressMsg:
		if key.Matches(msg, m.keys.Global.Quit) {
			if m.quitting {
				return m.quitNow() // asked twice: quit without waiting
			}
			return m.quit()
		}
		if m.quitting {
			return nil
		}
		if m.fatal != "" {
			return m.quit()
		}
		// "?" is text on screens where the customer types; F1 works there.
		typing := m.screen == screenChat || m.screen == screenPhone || m.screen == screenOrder
		if m.screen != screenHistory && key.Matches(msg, m.keys.Global.Help) && !(typing && msg.Text == "?") {
			m.fullHelp = !m.fullHelp
			m.layout()
			return nil
		}
		if m.holdSend(msg) {
			return nil
		}
	}
	if cmd, ok := m.updateSession(msg); ok {
		return cmd
	}
	return m.updateScreen(msg)
}

// updateScreen hands a message to the current screen, then handles what
// the screen reported in the same Update.
func (m *Model) updateScreen(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	var choice tea.Msg
	switch m.screen {
	case screenStart:
		m.start, cmd = m.start.Update(msg)
		choice = m.start.Take()
	case screenOrder:
		m.orders, cmd = m.orders.Update(msg)
		choice = m.orders.Take()
	case screenTopic:
		m.topics, cmd = m.topics.Update(msg)
		choice = m.topics.Take()
	case screenChannel:
		m.channel, cmd = m.channel.Update(msg)
		choice = m.channel.Take()
	case screenPhone:
		m.phone, cmd = m.phone.Update(msg)
		choice = m.phone.Take()
	case screenBooked, screenClosed:
		m.closed, cmd = m.closed.Update(msg)
		choice = m.closed.Take()
	case screenHistory:
		_, cmd := m.hist.Update(msg)
		return cmd
	case screenChat:
		m.chat, cmd = m.chat.Update(msg)
		choice = m.chat.Take()
	case screenRate:
		m.rate, cmd = m.rate.Update(msg)
		choice = m.rate.Take()
	}
	if choice != nil {
		return tea.Batch(cmd, m.update(choice))
	}
	return cmd
}

// quit ends the app cleanly. An open conversation is marked abandoned
// first, in the store lane, so every message already queued is written
// before it; the app quits when that lane is idle and no failed write
// waits for its retry.
func (m *Model) quit() tea.Cmd {
	m.quitting = true
	var cmd tea.Cmd
	if s := m.sess; s != nil && s.conv != nil && s.st.Created && !s.st.Closed {
		conv := s.conv
		s.abandoned = true
		cmd = m.call(conv, opOther, func() (engine.Result, error) { return conv.Abandon(), nil })
	}
	if m.storeIdle() {
		return tea.Quit
	}
	return cmd
}

// quitNow quits without waiting for the store: what it has not taken yet
// goes to a recovery file first, and Farewell says where.
func (m *Model) quitNow() tea.Cmd {
	convs, dir, now := slices.Clone(m.convs), m.cfg.RecoveryDir, m.now()
	return tea.Sequence(func() tea.Msg {
		var unsaved []transcripts.Conversation
		for _, c := range convs {
			if u, ok := c.Unsaved(); ok {
				unsaved = append(unsaved, u)
			}
		}
		if len(unsaved) == 0 {
			return recoveredMsg{}
		}
		n := 0
		for _, u := range unsaved {
			n += len(u.Entries)
		}
		path, err := transcripts.WriteRecoveryFile(dir, now, unsaved...)
		return recoveredMsg{entries: n, path: path, err: err}
	}, tea.Quit)
}

// recoveredMsg says what quitNow wrote to a recovery file.
type recoveredMsg struct {
	entries int
	path    string
	err     error
}

// Farewell is what the app has to say once it has ended, for the caller to
// print below the restored terminal: an unfinished conversation's id, and
// where entries the store never took were written. "" when nothing.
func (m *Model) Farewell() string {
	var lines []string
	if s := m.sess; s != nil && s.st.Created && s.abandoned {
		lines = append(lines, fmt.Sprintf(m.text.QuitKept, s.id))
	}
	switch r := m.recovered; {
	case r.err != nil:
		lines = append(lines, fmt.Sprintf(m.text.QuitLost, r.entries, common.OneLine(r.err)))
	case r.entries > 0:
		lines = append(lines, fmt.Sprintf(m.text.QuitRecovered, r.entries, r.path, r.path))
	}
	return termsafe.Text(strings.Join(lines, "\n"))
}

// storeIdle reports that no engine call is running or queued and no store
// write waits to be retried.
func (m *Model) storeIdle() bool { return !m.lanes[laneEngine].Busy() && len(m.retryWait) == 0 }

// show switches to screen s, with the short help.
func (m *Model) show(s screen) {
	m.screen = s
	m.fullHelp = false
	m.layout()
}

// layout hands each screen its size after a resize or a change of screen.
func (m *Model) layout() {
	w, h := m.width, m.bodyHeight()
	m.start.SetSize(w, h)
	m.orders.SetSize(w, h)
	m.topics.SetSize(w, h)
	m.channel.SetSize(w, h)
	m.phone.SetSize(w, h)
	m.rate.SetSize(w, h)
	m.closed.SetSize(w, h)
	m.chat.SetSize(w, h)
	m.help.SetWidth(w)
}

// bodyHeight is the height left for a screen below the title and above
// the help bar.
func (m *Model) bodyHeight() int {
	return max(m.height-1-m.helpHeight(), 0)
}

func (m *Model) helpHeight() int {
	return strings.Count(m.helpView(), "\n") + 1
}

func (m *Model) helpView() string {
	return common.HelpView(m.help, m.current(), m.fullHelp)
}

// current is the screen shown. Under the history browser, which draws its
// own frame, it is the rate screen, whose list keys size the others.
func (m *Model) current() common.Component {
	switch m.screen {
	case screenStart:
		return &m.start
	case screenOrder:
		return &m.orders
	case screenTopic:
		return &m.topics
	case screenChannel:
		return &m.channel
	case screenPhone:
		return &m.phone
	case screenBooked, screenClosed:
		return &m.closed
	case screenChat:
		return &m.chat
	}
	return &m.rate
}

// View builds the frame. Every line is cut to the terminal's width and the
// frame to its height, whatever a screen produced.
func (m *Model) View() tea.View {
	v := tea.NewView(m.frame())
	v.AltScreen = true
	v.WindowTitle = m.text.AppTitle
	return v
}

func (m *Model) frame() string {
	if m.screen == screenHistory && m.hist != nil && !m.quitting {
		return components.Fit(m.hist.Frame(), m.width, m.height)
	}
	if m.width < common.MinWidth || m.height < common.MinHeight {
		if m.width <= 0 || m.height <= 0 {
			return ""
		}
		return ansi.Truncate(m.text.TooSmall, m.width, "")
	}
	saving := ""
	if m.quitting {
		text := m.text.SavingQuit
		if s := m.sess; s != nil && s.st.Pending > 0 && s.st.StoreError != nil {
			text = fmt.Sprintf(m.text.SavingWaiting, s.st.Pending, termsafe.Line(common.OneLine(s.st.StoreError)))
		}
		saving = "\n" + m.st.Status.Render(ansi.Wrap(text, m.width, ""))
	}
	if m.fatal != "" {
		return components.Fit(m.st.Bad.Render(ansi.Wrap(termsafe.Text(m.fatal), m.width, ""))+saving, m.width, m.height)
	}
	body := m.current().View()
	title := m.st.Title.Render(m.text.AppTitle)
	if m.storeErr != nil {
		title += "  " + m.st.Bad.Render(fmt.Sprintf(m.text.StoreFailed, termsafe.Line(common.OneLine(m.storeErr))))
	}
	if m.sendHeld && m.screen == screenChat {
		title += "  " + m.st.Status.Render(m.text.SendTooFast)
	}
	if m.quitting {
		return components.Fit(title+saving, m.width, m.height)
	}
	return components.Fit(title+"\n"+components.FitHeight(body, m.bodyHeight())+"\n"+m.helpView(), m.width, m.height)
}

// menu is the topic menu in the UI language, or nil while the rules load.
func (m *Model) menu() []engine.Category {
	if m.bot == nil {
		return nil
	}
	return m.bot.Menu(m.lang)
}

type historyClosedMsg struct{}

// historyStore is the store as the history browser needs it, when the
// store is the real one (it is in the app; tests may use narrower stores).
func (m *Model) historyStore() history.Store {
	if m.cfg.Served {
		return nil // other people's conversations: never browsed or resumed from here
	}
	hs, _ := m.store.(history.Store)
	return hs
}

// openHistory opens the history browser inside the app, searched on the
// conversation that just ended. Leaving it comes back here.
func (m *Model) openHistory() tea.Cmd {
	hs := m.historyStore()
	if hs == nil || m.sess == nil {
		return nil
	}
	m.histReturn = m.screen
	m.hist = history.New(history.Config{Lang: m.lang, Clock: m.cfg.Clock, NoColor: m.cfg.NoColor, Tick: m.cfg.Tick,
		Open:   func() (history.Store, error) { return hs, nil },
		Query:  m.sess.id,
		Resume: func(id string) tea.Cmd { return func() tea.Msg { return resumeAskedMsg{id: id} } },
		Close:  func() tea.Cmd { return func() tea.Msg { return historyClosedMsg{} } }})
	m.show(screenHistory)
	_, size := m.hist.Update(tea.WindowSizeMsg{Width: m.width, Height: m.height})
	return tea.Batch(m.hist.Init(), size)
}
