package tui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/bot/profile"
	"tsunagu/handoff/chat"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
	"tsunagu/tui/history"
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
	OpenStore func() (chat.Store, error)
	LoadBot   func() (chat.Bot, error)
	// NewDesk starts the operator desk for one conversation.
	NewDesk   func(conversation string) (chat.Desk, error)
	Callbacks chat.Callbacks
	// TickEvery is how often, in real time, the desk is advanced while a
	// chat waits for or talks with an operator. Zero means 250 ms.
	TickEvery time.Duration
	// NewID names a new conversation. nil uses the time and the seeded
	// source, which repeats between runs with the same --clock and --seed;
	// the app passes one that cannot.
	NewID func(start time.Time) string
	// ResumeID, when set, opens the app on that stored conversation instead
	// of the start screen ("tsunagu history" hands over to the chat).
	ResumeID string
	// Tick makes the tick command; tests replace it to drive time by hand.
	Tick func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
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

	store    chat.Store
	storeErr error
	bot      chat.Bot
	botErr   error

	lanes [laneCount]lane
	rng   *rand.Rand

	start   startPage
	orders  orderPage
	topics  topicPage
	channel channelPage
	phone   phonePage
	chat    chatPage
	rate    ratePage

	sess  *session
	fatal string // an error that ends the app, shown until a key is pressed

	quitting   bool                 // Ctrl+C: quit once the engine lane is idle and no retry waits
	retries    int                  // store retries waiting for their timer
	retryWait  []*chat.Conversation // the conversations those retries are for
	convs      []*chat.Conversation // every conversation of this run, for quitting
	hist       *history.Model       // the embedded history browser, once opened
	histReturn screen               // where leaving the history goes back to
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
	m := &Model{cfg: cfg, lang: cfg.Lang, text: common.Text(cfg.Lang),
		rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5bd1e995))}
	for i := range m.lanes {
		m.lanes[i].id = laneID(i)
	}
	m.keys = common.NewKeys(m.text)
	m.help = help.New()
	m.setTheme(true)
	e := m.env()
	m.start = newStartPage(e)
	m.orders = newOrderPage(e)
	m.topics = topicPage{e: e, cat: -1}
	m.channel = newChannelPage(e, "")
	m.phone = phonePage{e: e}
	m.rate = newRatePage(e, false)
	if cfg.ResumeID != "" {
		m.sess = &session{id: cfg.ResumeID, resuming: true, lineIdx: map[int]int{}}
		m.chat = newChatPage(e)
		_ = m.chat.input.Focus() // the customer may type while it loads; the blink starts once loaded
		m.screen = screenChat
	}
	return m
}

// onceOpened wraps open so that once it has succeeded, every later call
// returns that store instead of opening the file again; a failure is not
// kept, so the next call tries again (a store busy at start is picked up
// once it is free).
func onceOpened(open func() (chat.Store, error)) func() (chat.Store, error) {
	var mu sync.Mutex
	var opened chat.Store
	return func() (chat.Store, error) {
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

// env is what pages read: the theme, strings, keys, profile and language.
type env struct {
	st   *common.Styles
	text *common.Strings
	keys common.Keys
	lang string
	prof *profile.Profile
}

func (m *Model) env() env {
	return env{st: m.st, text: m.text, keys: m.keys, lang: m.lang, prof: m.cfg.Profile}
}

func (m *Model) setTheme(isDark bool) {
	m.st = common.NewStyles(isDark, m.cfg.NoColor)
	m.help.Styles = help.DefaultStyles(isDark)
	if m.cfg.NoColor {
		m.help.Styles = help.Styles{}
	}
	m.start.e.st, m.orders.e.st, m.topics.e.st, m.channel.e.st, m.phone.e.st, m.rate.e.st = m.st, m.st, m.st, m.st, m.st, m.st
	m.chat.setStyles(m.st)
}

type storeOpenedMsg struct {
	store chat.Store
	err   error
}

type botLoadedMsg struct {
	bot chat.Bot
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
	return m, cmd
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
		m.go2(m.histReturn)
		return nil
	case laneDoneMsg:
		next := m.lanes[msg.lane].next()
		cmd := tea.Batch(next, m.update(msg.msg))
		if m.quitting && m.storeIdle() {
			return tea.Quit
		}
		return cmd
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
		m.bot, m.botErr = msg.bot, msg.err
		if msg.err != nil {
			m.bot = nil
			if m.sess != nil && (m.sess.conv != nil || m.sess.resuming) {
				m.fatal = fmt.Sprintf(m.text.LoadFailed, common.OneLine(msg.err))
			}
			return nil
		}
		m.topics.setMenu(m.menu())
		return m.botReady()
	case tea.KeyPressMsg:
		if key.Matches(msg, m.keys.Global.Quit) {
			if m.quitting {
				return tea.Quit // asked twice: quit without waiting
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
	}
	if cmd, ok := m.updateSession(msg); ok {
		return cmd
	}
	return m.updateScreen(msg)
}

// updateScreen hands a message to the current screen.
func (m *Model) updateScreen(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	var out *tea.Msg
	switch m.screen {
	case screenStart:
		m.start, cmd = m.start.Update(msg)
		out = &m.start.out
	case screenOrder:
		m.orders, cmd = m.orders.Update(msg)
		out = &m.orders.out
	case screenTopic:
		m.topics, cmd = m.topics.Update(msg)
		out = &m.topics.out
	case screenChannel:
		m.channel, cmd = m.channel.Update(msg)
		out = &m.channel.out
	case screenPhone:
		m.phone, cmd = m.phone.Update(msg)
		out = &m.phone.out
	case screenBooked, screenClosed:
		if k, ok := msg.(tea.KeyPressMsg); ok {
			switch {
			case k.Text == "h":
				return m.openHistory()
			case key.Matches(k, m.keys.List.Choose), key.Matches(k, m.keys.Global.Back):
				return tea.Quit
			}
		}
	case screenHistory:
		_, cmd := m.hist.Update(msg)
		return cmd
	case screenChat:
		return m.updateChat(msg)
	case screenRate:
		m.rate, cmd = m.rate.Update(msg)
		out = &m.rate.out
	}
	if out != nil && *out != nil {
		choice := *out
		*out = nil
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
		cmd = m.call(conv, opOther, func() (chat.Result, error) { return conv.Abandon(), nil })
	}
	if m.storeIdle() {
		return tea.Quit
	}
	return cmd
}

// storeIdle reports that no engine call is running or queued and no store
// write waits to be retried.
func (m *Model) storeIdle() bool { return !m.lanes[laneEngine].busy && m.retries == 0 }

func (m *Model) go2(s screen) {
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
	km := m.currentKeyMap()
	if m.fullHelp {
		return m.help.FullHelpView(km.FullHelp())
	}
	return m.help.ShortHelpView(km.ShortHelp())
}

func (m *Model) currentKeyMap() common.KeyMap {
	g, l, c := m.keys.Global, m.keys.List, m.keys.Chat
	switch m.screen {
	case screenChat:
		return common.KeyMap{Short: []key.Binding{c.Send, c.Human, c.Receipt, c.Why, c.End, c.Help},
			Extra: []key.Binding{c.Newline, c.ScrollUp, c.ScrollDn, c.Call, g.Back, g.Quit}}
	case screenPhone:
		return common.KeyMap{Short: []key.Binding{l.Choose, m.phone.tabKey(), g.Back, g.Quit}}
	case screenBooked, screenClosed:
		hist := key.NewBinding(key.WithKeys("h"), key.WithHelp("h", m.text.Help["history"]))
		hist.SetEnabled(m.historyStore() != nil)
		return common.KeyMap{Short: []key.Binding{hist, l.Choose, g.Quit}}
	case screenStart:
		return common.KeyMap{Short: []key.Binding{l.Up, l.Down, l.Choose, g.Help, g.Quit}, Extra: []key.Binding{g.Back}}
	}
	return common.KeyMap{Short: []key.Binding{l.Up, l.Down, l.Choose, g.Back, g.Help, g.Quit}}
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
		saving = "\n" + m.st.Status.Render(ansi.Wrap(m.text.SavingQuit, m.width, ""))
	}
	if m.fatal != "" {
		return components.Fit(m.st.Bad.Render(ansi.Wrap(termsafe.Text(m.fatal), m.width, ""))+saving, m.width, m.height)
	}
	var body string
	switch m.screen {
	case screenStart:
		body = m.start.View()
	case screenOrder:
		body = m.orders.View()
	case screenTopic:
		body = m.topics.View()
	case screenChannel:
		body = m.channel.View()
	case screenPhone:
		body = m.phone.View()
	case screenBooked:
		body = m.bookedView()
	case screenChat:
		body = m.chatView()
	case screenRate:
		body = m.rate.View()
	case screenClosed:
		body = m.closedView()
	}
	title := m.st.Title.Render(m.text.AppTitle)
	if m.storeErr != nil {
		title += "  " + m.st.Bad.Render(fmt.Sprintf(m.text.StoreFailed, termsafe.Line(common.OneLine(m.storeErr))))
	}
	if m.quitting {
		return components.Fit(title+saving, m.width, m.height)
	}
	return components.Fit(title+"\n"+components.FitHeight(body, m.bodyHeight())+"\n"+m.helpView(), m.width, m.height)
}

// menu is the topic menu in the UI language, or nil while the rules load.
func (m *Model) menu() []chat.Category {
	if m.bot == nil {
		return nil
	}
	return m.bot.Menu(m.lang)
}

type historyClosedMsg struct{}

// historyStore is the store as the history browser needs it, when the
// store is the real one (it is in the app; tests may use narrower stores).
func (m *Model) historyStore() history.Store {
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
		Location: m.now().Location(),
		Open:     func() (history.Store, error) { return hs, nil },
		Query:    m.sess.id,
		Resume:   func(id string) tea.Cmd { return func() tea.Msg { return resumeAskedMsg{id: id} } },
		Close:    func() tea.Cmd { return func() tea.Msg { return historyClosedMsg{} } }})
	m.go2(screenHistory)
	_, size := m.hist.Update(tea.WindowSizeMsg{Width: m.width, Height: m.height})
	return tea.Batch(m.hist.Init(), size)
}
