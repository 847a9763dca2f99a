package train

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff/training"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

// Config is what the trainee app needs. Slow work (training the bot,
// playing the bot stage, saving) happens in the functions, run as commands.
type Config struct {
	Lang      string
	Scenarios []*training.Scenario
	// Scenario, when set, starts that scenario at once instead of the list.
	Scenario *training.Scenario
	// NewSession starts a session of sc: the bot stage is played before it returns.
	NewSession func(sc *training.Scenario) (*training.Session, error)
	// NewDrill, when set, makes the app the escalation drill instead.
	NewDrill func() (*training.Drill, error)
	// Save stores the scorecard and says where ("saved as session 3").
	Save    func(training.Scorecard) (string, error)
	NoColor bool
	// RevealEvery paces the bot stage on screen; TickEvery drives a real
	// clock. Tick makes the timer command; tests replace it.
	RevealEvery time.Duration
	TickEvery   time.Duration
	Realtime    bool
	Tick        func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
}

type screenKind int

const (
	screenList screenKind = iota
	screenLoading
	screenSession
	screenScore
	screenDrill
)

// Model is the root model of `tsunagu train`.
type Model struct {
	cfg    Config
	lang   string
	st     *common.Styles
	isDark bool
	keys   common.TrainKeys
	text   *common.TrainStrings
	screen screenKind

	list    listPage
	session sessionPage
	score   scorePage
	drill   drillPage
	err     string
	// saving is set while the scorecard is being stored; a quit asked
	// meanwhile waits for it (quitAfterSave).
	saving, quitAfterSave bool

	width, height int
}

type startedMsg struct {
	s   *training.Session
	err error
}

type savedMsg struct {
	where string
	err   error
}

type drillMsg struct {
	d   *training.Drill
	err error
}

type revealMsg struct{}
type tickMsg struct{}

// New builds the trainee app.
func New(cfg Config) *Model {
	if cfg.Lang != "ja" {
		cfg.Lang = "en"
	}
	if cfg.RevealEvery <= 0 {
		cfg.RevealEvery = 300 * time.Millisecond
	}
	if cfg.TickEvery <= 0 {
		cfg.TickEvery = time.Second
	}
	if cfg.Tick == nil {
		cfg.Tick = tea.Tick
	}
	m := &Model{cfg: cfg, lang: cfg.Lang, keys: common.NewTrainKeys(common.Text(cfg.Lang)), text: common.TrainText(cfg.Lang), isDark: true}
	m.st = common.NewStyles(true, cfg.NoColor)
	m.list = newListPage(m.st, m.keys, m.lang, cfg.Scenarios)
	return m
}

// Init asks for the background colour and, with a preset scenario, starts it.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if newDrill := m.cfg.NewDrill; newDrill != nil {
		m.screen = screenLoading
		cmds = append(cmds, func() tea.Msg { d, err := newDrill(); return drillMsg{d, err} })
	} else if m.cfg.Scenario != nil {
		cmds = append(cmds, m.start(m.cfg.Scenario))
	}
	return tea.Batch(cmds...)
}

func (m *Model) start(sc *training.Scenario) tea.Cmd {
	m.screen = screenLoading
	newSession := m.cfg.NewSession
	return func() tea.Msg {
		s, err := newSession(sc)
		return startedMsg{s, err}
	}
}

func (m *Model) reveal() tea.Cmd {
	return m.cfg.Tick(m.cfg.RevealEvery, func(time.Time) tea.Msg { return revealMsg{} })
}

func (m *Model) tick() tea.Cmd {
	return m.cfg.Tick(m.cfg.TickEvery, func(time.Time) tea.Msg { return tickMsg{} })
}

// Update is the root of all state changes.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 0), max(msg.Height, 0)
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.st = common.NewStyles(m.isDark, m.cfg.NoColor)
		m.list.SetStyles(m.st)
		switch m.screen {
		case screenSession:
			m.session.SetStyles(m.st, m.isDark)
		case screenScore:
			m.score.SetStyles(m.st, m.isDark)
		case screenDrill:
			m.drill.SetStyles(m.st)
		}
		return m, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, m.keys.Quit) {
			if m.saving && !m.quitAfterSave {
				m.quitAfterSave = true // a second ctrl+c quits at once
				return m, nil
			}
			return m, tea.Quit
		}
	case drillMsg:
		if msg.err != nil {
			m.err = msg.err.Error()
			m.screen = screenList
			return m, nil
		}
		m.drill = newDrillPage(m.st, m.lang, msg.d)
		m.screen = screenDrill
		m.layout()
		return m, nil
	case chosenMsg:
		return m, m.start(msg.Scenario)
	case startedMsg:
		if msg.err != nil {
			m.err = msg.err.Error()
			m.screen = screenList
			return m, nil
		}
		m.err = ""
		m.session = newSessionPage(m.st, m.keys, m.lang, msg.s)
		m.session.SetStyles(m.st, m.isDark)
		m.screen = screenSession
		m.layout()
		return m, m.reveal()
	case revealMsg:
		if m.screen != screenSession || !m.session.Revealing() {
			return m, nil
		}
		m.session.Reveal()
		if m.session.Revealing() {
			return m, m.reveal()
		}
		if m.cfg.Realtime {
			return m, m.tick()
		}
		return m, nil
	case tickMsg:
		if m.screen != screenSession {
			return m, nil
		}
		return m, tea.Batch(m.session.Tick(), m.tick())
	case endedMsg:
		if m.screen != screenSession {
			return m, nil
		}
		card := m.session.Scorecard()
		m.score = newScorePage(m.st, m.keys, card)
		m.score.SetStyles(m.st, m.isDark)
		m.screen = screenScore
		m.layout()
		save := m.cfg.Save
		if save == nil {
			return m, nil
		}
		m.saving = true
		m.score.SetSaved(m.text.Saving)
		return m, func() tea.Msg { w, err := save(card); return savedMsg{w, err} }
	case savedMsg:
		m.saving = false
		if m.quitAfterSave {
			return m, tea.Quit
		}
		if msg.err != nil {
			m.score.SetSaved(msg.err.Error())
		} else {
			m.score.SetSaved(msg.where)
		}
		return m, nil
	case againMsg:
		m.screen = screenList
		return m, nil
	}
	var cmd tea.Cmd
	switch m.screen {
	case screenList:
		m.list, cmd = m.list.Update(msg)
	case screenSession:
		m.session, cmd = m.session.Update(msg)
	case screenScore:
		m.score, cmd = m.score.Update(msg)
	case screenDrill:
		m.drill, cmd = m.drill.Update(msg)
	}
	return m, cmd
}

// layout sizes the pages that exist; a page not yet built is sized when it is.
func (m *Model) layout() {
	m.list.SetSize(m.width, m.height)
	switch m.screen {
	case screenSession:
		m.session.SetSize(m.width, m.height)
	case screenScore:
		m.score.SetSize(m.width, m.height)
	case screenDrill:
		m.drill.SetSize(m.width, m.height)
	}
}

// View builds the frame: alt screen, window title.
func (m *Model) View() tea.View {
	v := tea.NewView(m.frame())
	v.AltScreen = true
	v.WindowTitle = m.text.Title
	return v
}

// frame is cut to the terminal's width and height, like the customer app's.
func (m *Model) frame() string {
	return components.Fit(m.screenFrame(), m.width, m.height)
}

func (m *Model) screenFrame() string {
	if m.width < common.MinWidth || m.height < common.MinHeight {
		if m.width <= 0 || m.height <= 0 {
			return ""
		}
		return ansi.Truncate(common.Text(m.lang).TooSmall, m.width, "")
	}
	switch m.screen {
	case screenLoading:
		return m.st.Muted.Render(m.text.Loading)
	case screenSession:
		return m.session.View()
	case screenScore:
		return m.score.View()
	case screenDrill:
		return m.drill.View()
	}
	var errText string
	if m.err != "" {
		errText = m.st.Bad.Render(ansi.Wrap(termsafe.Text(m.err), m.width, ""))
	}
	// The list gets the rows the error leaves, so the error stays in view.
	l := m.list
	if errText != "" {
		l.SetSize(m.width, m.height-strings.Count(errText, "\n")-1)
		return l.View() + "\n" + errText
	}
	return l.View()
}
