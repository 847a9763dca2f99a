package tui

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
	"tsunagu/tui/pages/train"
)

// TrainConfig is what the trainee app needs. Slow work (training the bot,
// playing the bot stage, saving) happens in the functions, run as commands.
type TrainConfig struct {
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

type trainScreen int

const (
	trainList trainScreen = iota
	trainLoading
	trainSession
	trainScore
	trainDrill
)

// TrainModel is the root model of `tsunagu train`.
type TrainModel struct {
	cfg    TrainConfig
	lang   string
	st     *common.Styles
	isDark bool
	keys   train.Keys
	screen trainScreen

	list    train.List
	session train.Session
	score   train.Scorecard
	drill   train.Drill
	err     string
	// saving is set while the scorecard is being stored; a quit asked
	// meanwhile waits for it (quitAfterSave).
	saving, quitAfterSave bool

	width, height int
}

type trainStartedMsg struct {
	s   *training.Session
	err error
}

type trainSavedMsg struct {
	where string
	err   error
}

type trainDrillMsg struct {
	d   *training.Drill
	err error
}

type trainRevealMsg struct{}
type trainTickMsg struct{}

// NewTrain builds the trainee app.
func NewTrain(cfg TrainConfig) *TrainModel {
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
	m := &TrainModel{cfg: cfg, lang: cfg.Lang, keys: train.NewKeys(cfg.Lang), isDark: true}
	m.st = common.NewStyles(true, cfg.NoColor)
	m.list = train.NewList(m.st, m.keys, m.lang, cfg.Scenarios)
	return m
}

// Init asks for the background colour and, with a preset scenario, starts it.
func (m *TrainModel) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if newDrill := m.cfg.NewDrill; newDrill != nil {
		m.screen = trainLoading
		cmds = append(cmds, func() tea.Msg { d, err := newDrill(); return trainDrillMsg{d, err} })
	} else if m.cfg.Scenario != nil {
		cmds = append(cmds, m.start(m.cfg.Scenario))
	}
	return tea.Batch(cmds...)
}

func (m *TrainModel) start(sc *training.Scenario) tea.Cmd {
	m.screen = trainLoading
	newSession := m.cfg.NewSession
	return func() tea.Msg {
		s, err := newSession(sc)
		return trainStartedMsg{s, err}
	}
}

func (m *TrainModel) reveal() tea.Cmd {
	return m.cfg.Tick(m.cfg.RevealEvery, func(time.Time) tea.Msg { return trainRevealMsg{} })
}

func (m *TrainModel) tick() tea.Cmd {
	return m.cfg.Tick(m.cfg.TickEvery, func(time.Time) tea.Msg { return trainTickMsg{} })
}

// Update is the root of all state changes.
func (m *TrainModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
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
		case trainSession:
			m.session.SetStyles(m.st, m.isDark)
		case trainScore:
			m.score.SetStyles(m.st, m.isDark)
		case trainDrill:
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
	case trainDrillMsg:
		if msg.err != nil {
			m.err = msg.err.Error()
			m.screen = trainList
			return m, nil
		}
		m.drill = train.NewDrill(m.st, m.lang, msg.d)
		m.screen = trainDrill
		m.layout()
		return m, nil
	case train.ChosenMsg:
		return m, m.start(msg.Scenario)
	case trainStartedMsg:
		if msg.err != nil {
			m.err = msg.err.Error()
			m.screen = trainList
			return m, nil
		}
		m.err = ""
		m.session = train.NewSession(m.st, m.keys, m.lang, msg.s)
		m.session.SetStyles(m.st, m.isDark)
		m.screen = trainSession
		m.layout()
		return m, m.reveal()
	case trainRevealMsg:
		if m.screen != trainSession || !m.session.Revealing() {
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
	case trainTickMsg:
		if m.screen != trainSession {
			return m, nil
		}
		return m, tea.Batch(m.session.Tick(), m.tick())
	case train.EndedMsg:
		if m.screen != trainSession {
			return m, nil
		}
		card := m.session.Scorecard()
		m.score = train.NewScorecard(m.st, m.keys, card)
		m.score.SetStyles(m.st, m.isDark)
		m.screen = trainScore
		m.layout()
		save := m.cfg.Save
		if save == nil {
			return m, nil
		}
		m.saving = true
		m.score.SetSaved(map[bool]string{true: "スコアカードを保存しています…", false: "Saving the scorecard…"}[m.lang == "ja"])
		return m, func() tea.Msg { w, err := save(card); return trainSavedMsg{w, err} }
	case trainSavedMsg:
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
	case train.AgainMsg:
		m.screen = trainList
		return m, nil
	}
	var cmd tea.Cmd
	switch m.screen {
	case trainList:
		m.list, cmd = m.list.Update(msg)
	case trainSession:
		m.session, cmd = m.session.Update(msg)
	case trainScore:
		m.score, cmd = m.score.Update(msg)
	case trainDrill:
		m.drill, cmd = m.drill.Update(msg)
	}
	return m, cmd
}

// layout sizes the pages that exist; a page not yet built is sized when it is.
func (m *TrainModel) layout() {
	m.list.SetSize(m.width, m.height)
	switch m.screen {
	case trainSession:
		m.session.SetSize(m.width, m.height)
	case trainScore:
		m.score.SetSize(m.width, m.height)
	case trainDrill:
		m.drill.SetSize(m.width, m.height)
	}
}

// View builds the frame: alt screen, window title.
func (m *TrainModel) View() tea.View {
	v := tea.NewView(m.frame())
	v.AltScreen = true
	v.WindowTitle = map[bool]string{true: "tsunagu 研修モード", false: "tsunagu trainee mode"}[m.lang == "ja"]
	return v
}

// frame is cut to the terminal's width and height, like the customer app's.
func (m *TrainModel) frame() string {
	return components.Fit(m.screenFrame(), m.width, m.height)
}

func (m *TrainModel) screenFrame() string {
	if m.width < common.MinWidth || m.height < common.MinHeight {
		if m.width <= 0 || m.height <= 0 {
			return ""
		}
		return ansi.Truncate(common.Text(m.lang).TooSmall, m.width, "")
	}
	switch m.screen {
	case trainLoading:
		return m.st.Muted.Render(map[bool]string{true: "ボットを準備しています…", false: "Getting the bot ready…"}[m.lang == "ja"])
	case trainSession:
		return m.session.View()
	case trainScore:
		return m.score.View()
	case trainDrill:
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
