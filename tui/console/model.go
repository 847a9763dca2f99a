package console

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/handoff/live"
	"tsunagu/handoff/training"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
	"tsunagu/tui/internal/lane"
)

// Config is everything the console needs.
type Config struct {
	// Seat is the signed-in person; the console signs it out on quit.
	Seat    *live.Seat
	Lang    string // "ja" or "en": the UI's language; chats are shown as written
	NoColor bool
	// Clock gives the time shown in the header; nil is the wall clock.
	Clock handoff.Clock
	// Scenarios are what a trainer can play; nil means training.Builtins().
	Scenarios []*training.Scenario
	// OpenRolePlay builds the real customer conversation (store, bot, desk)
	// a trainer plays sc's customer in, in lang (see live.RolePlayCustomer).
	// nil: no role-plays.
	OpenRolePlay func(sc *training.Scenario, lang string) (*chat.Conversation, error)
	// TickEvery is how often the floor is read again (0: 250ms).
	TickEvery time.Duration
	// Tick makes timer commands; tests replace it (default tea.Tick).
	Tick func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
}

type screenKind int

const (
	screenQueue screenKind = iota
	screenChat             // my chat, or a chat watched read-only
	screenNewPlay
	screenPlay // the trainer's customer chat
)

type dialogKind int

const (
	dialogNone dialogKind = iota
	dialogAsk
	dialogTransfer
	dialogCallback
	dialogClose
	dialogPlayEnd
)

// Model is the console's root model.
type Model struct {
	cfg  Config
	seat *live.Seat
	lang string
	text *common.ConsoleStrings
	ct   *common.Strings
	st   *common.Styles
	keys common.ConsoleKeys
	help help.Model

	width, height int
	fullHelp      bool

	screen screenKind
	dialog dialogKind

	view     live.View
	haveView bool
	cursorID string // the queue's selected chat, kept across refreshes

	// The chat open on screenChat.
	chatID  string
	watch   bool // read-only: a trainer watching, or a chat no longer mine
	chat    *live.ChatView
	tr      components.Transcript
	trLines int // how many of chat.Lines tr holds
	input   components.Input
	phone   components.Input
	pick    components.ChoiceList
	picks   []string // what each row of pick stands for

	notice    string
	noticeBad bool

	lanes [laneCount]lane.Lane
	np    newPlay
	play  *playState

	closer *closer
	quit   bool
}

// closer ends what the console holds, once: from the quit key's command
// or from the server when the SSH session drops, whichever comes first.
type closer struct {
	mu   sync.Mutex
	seat *live.Seat
	conv *chat.Conversation
	done bool
}

// hold takes charge of the role-play's conversation as soon as it exists,
// from the command that opened it: a console that closes (or whose
// connection drops) at any moment after abandons it. It reports false, and
// abandons it at once, when the console has closed already.
func (c *closer) hold(conv *chat.Conversation) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		conv.Abandon()
		return false
	}
	c.conv = conv
	return true
}

func (c *closer) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return
	}
	c.done = true
	if c.conv != nil {
		c.conv.Abandon()
	}
	if c.seat != nil {
		c.seat.SignOut()
	}
}

// New builds the console; nothing happens until Init.
func New(cfg Config) *Model {
	if cfg.Lang != "ja" {
		cfg.Lang = "en"
	}
	if cfg.TickEvery <= 0 {
		cfg.TickEvery = 250 * time.Millisecond
	}
	if cfg.Tick == nil {
		cfg.Tick = tea.Tick
	}
	if cfg.Clock == nil {
		cfg.Clock = wallClock{}
	}
	if cfg.Scenarios == nil {
		cfg.Scenarios = training.Builtins()
	}
	m := &Model{cfg: cfg, seat: cfg.Seat, lang: cfg.Lang, text: common.ConsoleText(cfg.Lang), ct: common.Text(cfg.Lang),
		closer: &closer{seat: cfg.Seat}}
	m.keys = common.NewConsoleKeys(m.text)
	m.help = help.New()
	m.setTheme(true)
	m.input = components.NewInput(m.st, m.ct, common.NewKeys(m.ct).Chat)
	m.phone = components.NewInput(m.st, m.ct, common.NewKeys(m.ct).Chat)
	for i := range m.lanes {
		m.lanes[i] = lane.New(lane.ID(i))
	}
	return m
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

// Close signs the seat out and abandons the role-play conversation the
// console drives, once. The server calls it when the SSH session drops;
// quitting does the same.
func (m *Model) Close() { m.closer.close() }

func (m *Model) setTheme(isDark bool) {
	m.st = common.NewStyles(isDark, m.cfg.NoColor)
	m.help.Styles = help.DefaultStyles(isDark)
	if m.cfg.NoColor {
		m.help.Styles = help.Styles{}
	}
	m.tr.SetStyles(m.st)
	m.input.SetStyles(m.st)
	m.phone.SetStyles(m.st)
	if m.play != nil {
		m.play.tr.SetStyles(m.st)
	}
}

// Messages of the console; each comes from one of its commands.
type (
	tickMsg  struct{}
	floorMsg struct {
		view    live.View
		chatID  string
		chat    live.ChatView
		chatErr error
		playID  string
		play    live.ChatView
		playOK  bool
	}
	// actMsg is the result of one seat call.
	actMsg struct {
		kind    string // take, reply, ask, transfer, callback, close
		id      string
		err     error
		fact    string
		to      string
		booking handoff.Booking
	}
)

// Init asks for the background colour, reads the floor and starts the tick.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.refresh(), m.scheduleTick())
}

func (m *Model) scheduleTick() tea.Cmd {
	return m.cfg.Tick(m.cfg.TickEvery, func(time.Time) tea.Msg { return tickMsg{} })
}

// refresh reads the floor as the seat sees it, with the open chat and the
// trainer's role-play chat in full.
func (m *Model) refresh() tea.Cmd {
	seat, id := m.seat, ""
	if m.screen == screenChat {
		id = m.chatID
	}
	playID := ""
	if m.play != nil {
		playID = m.play.id
	}
	return func() tea.Msg {
		msg := floorMsg{view: seat.Snapshot(), chatID: id, playID: playID}
		if id != "" {
			msg.chat, msg.chatErr = seat.Chat(id)
		}
		if playID != "" {
			var err error
			msg.play, err = seat.Chat(playID)
			msg.playOK = err == nil
		}
		return msg
	}
}

// Update is the root of all the console's state changes.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	return m, m.update(msg)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.SetSize(msg.Width, msg.Height)
		return nil
	case tea.BackgroundColorMsg:
		m.setTheme(msg.IsDark())
		return nil
	case lane.DoneMsg:
		cmd := m.update(msg.Msg)
		return tea.Batch(cmd, m.lanes[msg.Lane].Next())
	case tickMsg:
		if m.quit {
			return nil
		}
		return tea.Batch(m.scheduleTick(), m.refresh(), m.advancePlay())
	case floorMsg:
		m.floor(msg)
		return nil
	case actMsg:
		return m.acted(msg)
	case playStartedMsg:
		return m.playStarted(msg)
	case playMsg:
		m.playResult(msg)
		return nil
	case tea.PasteMsg:
		switch {
		case m.dialog == dialogCallback:
			m.phone, _ = m.phone.Update(msg)
		case m.typing():
			m.input, _ = m.input.Update(msg)
		}
		return nil
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

// typing reports that the screen has a text box that takes keys.
func (m *Model) typing() bool {
	switch m.screen {
	case screenChat:
		return m.mine() && m.dialog == dialogNone
	case screenPlay:
		return m.play != nil && !m.play.ended() && m.dialog == dialogNone
	}
	return false
}

// mine reports that the open chat is the person's to answer.
func (m *Model) mine() bool { return !m.watch && m.chat != nil && m.chat.Mine }

func (m *Model) floor(msg floorMsg) {
	if m.haveView && msg.view.Version < m.view.Version {
		return // an older read that arrived late
	}
	m.view, m.haveView = msg.view, true
	if m.play != nil && msg.playID == m.play.id && msg.playOK {
		pv := msg.play
		m.play.view = &pv
	}
	if m.screen != screenChat || msg.chatID != m.chatID || msg.chatID == "" {
		return
	}
	if msg.chatErr != nil {
		m.say(m.refusal(msg.chatErr), true)
		m.toQueue()
		return
	}
	cv := msg.chat
	m.setChat(&cv)
}

// setChat shows cv, adding the lines the transcript does not hold yet.
func (m *Model) setChat(cv *live.ChatView) {
	if len(cv.Lines) < m.trLines {
		m.resetTranscript()
	}
	m.chat = cv
	for _, l := range cv.Lines[m.trLines:] {
		if msg, ok := m.lineMessage(l); ok {
			m.tr.Append(msg)
		}
	}
	m.trLines = len(cv.Lines)
	m.layout()
}

func (m *Model) resetTranscript() {
	m.tr = components.NewTranscript(m.st, m.ct)
	m.tr.SetLineBreaking(true)
	m.trLines = 0
}

func (m *Model) say(text string, bad bool) {
	m.notice, m.noticeBad = termsafe.Line(text), bad
	m.layout()
}

// refusal words why the floor refused, in the UI language.
func (m *Model) refusal(err error) string {
	var r *live.Refusal
	if errors.As(err, &r) {
		if why, ok := m.text.Refusals[r.Code]; ok {
			return fmt.Sprintf(m.text.Refused, why)
		}
	}
	return fmt.Sprintf(m.text.Failed, common.OneLine(err))
}

func (m *Model) toQueue() {
	m.screen, m.dialog, m.chatID, m.chat, m.watch = screenQueue, dialogNone, "", nil, false
	m.layout()
}

// seatCall runs a seat call on the seat's lane and reports its result.
func (m *Model) seatCall(job func() actMsg) tea.Cmd {
	return m.lanes[laneSeat].Push(func() tea.Msg { return job() })
}

func (m *Model) acted(msg actMsg) tea.Cmd {
	t := m.text
	if msg.err != nil {
		var kf *live.KnownFact
		if errors.As(msg.err, &kf) {
			m.say(fmt.Sprintf(t.KnownFact, kf.Value), true)
		} else {
			m.say(m.refusal(msg.err), true)
		}
		return m.refresh()
	}
	switch msg.kind {
	case "take":
		m.openChat(msg.id, false)
	case "reply":
		m.notice = ""
	case "ask":
		m.say(fmt.Sprintf(t.Asked, m.factName(msg.fact)), false)
	case "transfer":
		// The chat is no longer the person's to read (a trainee's part of
		// a role-play ends here too).
		m.toQueue()
		m.say(fmt.Sprintf(t.Transferred, msg.to), false)
	case "callback":
		b := msg.booking
		m.say(fmt.Sprintf(t.Booked, b.Text(m.lang, b.At.Location())), false)
	case "close":
		m.say(t.ClosedDone, false)
	}
	return m.refresh()
}

func (m *Model) openChat(id string, watch bool) {
	if id != m.chatID {
		m.resetTranscript()
		m.chat = nil
	}
	m.screen, m.chatID, m.watch, m.dialog = screenChat, id, watch, dialogNone
	m.input.Reset()
	m.layout()
}

func (m *Model) factName(f string) string {
	if n := m.text.FactNames[f]; n != "" {
		return n
	}
	return f
}

// key routes a key press: quitting and help first, then a dialog, then
// the screen.
func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	quit := key.Matches(k, km.QuitCtrl) || (!m.typing() && m.dialog == dialogNone && key.Matches(k, km.Quit))
	if quit {
		return m.quitCmd()
	}
	if key.Matches(k, km.HelpF1) || (!m.typing() && m.dialog == dialogNone && key.Matches(k, km.Help)) {
		m.fullHelp = !m.fullHelp
		m.layout()
		return nil
	}
	if m.dialog != dialogNone {
		return m.dialogKey(k)
	}
	switch m.screen {
	case screenChat:
		return m.chatKey(k)
	case screenNewPlay:
		return m.newPlayKey(k)
	case screenPlay:
		return m.playKey(k)
	}
	return m.queueKey(k)
}

// quitCmd signs out and abandons the role-play, then quits.
func (m *Model) quitCmd() tea.Cmd {
	m.quit = true
	c := m.closer
	return tea.Sequence(func() tea.Msg { c.close(); return nil }, tea.Quit)
}

// SetSize lays the screens out for a terminal of w×h.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 0), max(h, 0)
	m.layout()
}

const (
	headerRows = 2
	inputRows  = 3
)

func (m *Model) layout() {
	m.help.SetWidth(m.width)
	left, _ := m.columns()
	body := m.bodyHeight()
	trH := body
	if m.typing() || (m.screen == screenPlay && m.play != nil && !m.play.ended()) {
		trH = max(body-inputRows-m.suggestRows(), 0)
	}
	m.tr.SetSize(left, trH)
	if m.play != nil {
		m.play.tr.SetSize(left, trH)
	}
	m.input.SetSize(left, inputRows)
	m.phone.SetSize(max(m.width-4, 1), 1)
}

// columns splits the width between the transcript and the side panel.
func (m *Model) columns() (left, right int) {
	if m.width >= 60 {
		right = min(components.SidePanelWidth, m.width/2)
	}
	return m.width - right, right
}

func (m *Model) bodyHeight() int {
	return max(m.height-headerRows-len(m.noticeLines())-m.helpHeight(), 0)
}

func (m *Model) noticeLines() []string {
	if m.notice == "" || m.width <= 0 {
		return nil
	}
	lines := components.WrapText(m.notice, m.width)
	if len(lines) > 2 {
		lines = lines[:2]
	}
	return lines
}

func (m *Model) helpHeight() int { return strings.Count(m.helpView(), "\n") + 1 }

func (m *Model) helpView() string {
	return common.HelpView(m.help, m.currentKeys(), m.fullHelp)
}

// currentKeys is the help of what has the keys now.
func (m *Model) currentKeys() common.KeyMap {
	k := m.keys
	switch m.dialog {
	case dialogClose, dialogPlayEnd:
		return common.KeyMap{Short: []key.Binding{k.Yes, k.No}}
	case dialogCallback:
		return common.KeyMap{Short: []key.Binding{k.Choose, k.Cancel}}
	case dialogAsk, dialogTransfer:
		return common.KeyMap{Short: []key.Binding{k.Up, k.Choose, k.Cancel}}
	}
	switch m.screen {
	case screenChat:
		if m.mine() {
			return common.KeyMap{Short: []key.Binding{k.Send, k.Ask, k.Transfer, k.Callback, k.Close, k.Back},
				Extra: []key.Binding{k.Newline, k.ScrollUp, k.HelpF1, k.QuitCtrl}}
		}
		return common.KeyMap{Short: []key.Binding{k.ScrollUp, k.Back, k.Quit, k.Help}}
	case screenNewPlay:
		return common.KeyMap{Short: []key.Binding{k.Up, k.Choose, k.Back, k.QuitCtrl}}
	case screenPlay:
		if m.play == nil || m.play.ended() {
			return common.KeyMap{Short: []key.Binding{k.ScrollUp, k.Back, k.Quit, k.Help}}
		}
		return common.KeyMap{Short: []key.Binding{k.Send, k.Suggest, k.Person, k.End, k.Back},
			Extra: []key.Binding{k.Newline, k.ScrollUp, k.HelpF1, k.QuitCtrl}}
	}
	open := k.Open
	short := []key.Binding{k.Up}
	if m.seat.Role() == live.RoleTrainer {
		open = k.Watch
		short = append(short, open, k.New)
		if m.play != nil {
			short = append(short, k.Play)
		}
	} else {
		short = append(short, open)
	}
	return common.KeyMap{Short: append(short, k.Quit, k.Help)}
}

// View is the program's frame, in the alternate screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Frame())
	v.AltScreen = true
	v.WindowTitle = m.text.Title
	return v
}

// Frame renders the whole screen: at most the terminal's size.
func (m *Model) Frame() string {
	if m.width < common.MinWidth || m.height < common.MinHeight {
		if m.width <= 0 || m.height <= 0 {
			return ""
		}
		return ansi.Truncate(m.text.TooSmall, m.width, "")
	}
	bh := m.bodyHeight()
	var body string
	switch m.screen {
	case screenChat:
		body = m.chatView(bh)
	case screenNewPlay:
		body = m.newPlayView(bh)
	case screenPlay:
		body = m.playView(bh)
	default:
		body = m.queueView(bh)
	}
	body = components.FitHeight(body, bh)
	if d := m.dialogView(); d != "" {
		body = overlay(body, d, bh)
	}
	rows := []string{m.headerView(), body}
	st := m.st.Good
	if m.noticeBad {
		st = m.st.Bad
	}
	for _, l := range m.noticeLines() {
		rows = append(rows, st.Render(l))
	}
	rows = append(rows, m.helpView())
	return components.Fit(strings.Join(rows, "\n"), m.width, m.height)
}

// headerView is who I am, what I hold and who else is signed in.
func (m *Model) headerView() string {
	t := m.text
	me := m.view.Me
	if !m.haveView {
		op := m.seat.Operator()
		me = live.Person{Operator: op.ID, Name: op.DisplayName(m.lang), Role: m.seat.Role(), Capacity: max(1, op.Concurrent)}
	}
	name := m.seat.Operator().DisplayName(m.lang)
	line1 := m.st.Title.Render(t.Title) + "  " + fmt.Sprintf(t.Me, termsafe.Line(name), t.Roles[string(me.Role)])
	if me.Role != live.RoleTrainer {
		line1 += "  " + fmt.Sprintf(t.Holding, me.Holding, me.Capacity)
	}
	line1 += "  " + m.st.Muted.Render(m.cfg.Clock.Now().Format("15:04"))
	var others []string
	for _, p := range m.view.People {
		if p.Operator == me.Operator {
			continue
		}
		others = append(others, fmt.Sprintf("%s (%s)", termsafe.Line(m.personName(p.Operator)), t.Roles[string(p.Role)]))
	}
	who := t.Nobody
	if len(others) > 0 {
		who = strings.Join(others, ", ")
	}
	return line1 + "\n" + m.st.Muted.Render(fmt.Sprintf(t.People, who))
}

// personName names a signed-in person, or an operator id, in the UI
// language when the person is known.
func (m *Model) personName(id string) string { return m.seat.NameOf(id, m.lang) }

// overlay replaces the last rows of body with box.
func overlay(body, box string, height int) string {
	b := strings.Split(body, "\n")
	d := strings.Split(box, "\n")
	if len(d) > height {
		d = d[:height]
	}
	copy(b[max(len(b)-len(d), 0):], d)
	return strings.Join(b, "\n")
}

// dur shows a duration as 1m05s, or 45s.
func dur(d time.Duration) string {
	d = d.Round(time.Second)
	if d < 0 {
		d = 0
	}
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
}
