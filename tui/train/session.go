package train

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff"
	"tsunagu/handoff/training"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

// endedMsg says the session is over and the scorecard can be shown.
type endedMsg struct{}

// waitStep is how much time the wait key lets pass on a paused clock.
const waitStep = 30 * time.Second

// sessionPage is the trainee's seat: the transcript (bot stage, then the chat),
// the packet as received, the mood meter and the action keys.
type sessionPage struct {
	st         *common.Styles
	keys       common.TrainKeys
	lang       string
	text       *common.Strings
	tt         *common.TrainStrings
	s          *training.Session
	transcript components.Transcript
	input      components.Input
	help       help.Model

	revealed  int // bot stage lines shown so far
	handedOff bool
	synced    int // session lines already in the transcript
	picking   bool
	notice    string
	width     int
	height    int
}

// newSessionPage shows a started session (the bot stage already played by the
// domain; the screen reveals it line by line).
func newSessionPage(st *common.Styles, keys common.TrainKeys, lang string, s *training.Session) sessionPage {
	text := common.Text(lang)
	p := sessionPage{st: st, keys: keys, lang: lang, text: text, tt: common.TrainText(lang), s: s,
		transcript: components.NewTranscript(st, text),
		input:      components.NewInput(st, text, common.NewKeys(text).Chat),
		help:       help.New()}
	p.input.Focus()
	return p
}

// SetStyles applies the theme.
func (p *sessionPage) SetStyles(st *common.Styles, isDark bool) {
	p.st = st
	p.transcript.SetStyles(st)
	p.input.SetStyles(st)
	p.help.Styles = help.DefaultStyles(isDark)
	if st.NoColor {
		p.help.Styles = help.Styles{}
	}
}

// Revealing reports whether the bot stage is still being played.
func (p *sessionPage) Revealing() bool { return !p.handedOff }

const inputHeight = 3

var _ common.Component = (*sessionPage)(nil)

// ShortHelp implements help.KeyMap; the page shows it on its last row.
func (p *sessionPage) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Send, p.keys.Transfer, p.keys.Callback, p.keys.Wait, p.keys.Close, p.keys.Quit}
}

// FullHelp implements help.KeyMap.
func (p *sessionPage) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// SetSize lays the screen out.
func (p *sessionPage) SetSize(w, h int) {
	p.width, p.height = w, h
	pw := p.packetWidth()
	p.transcript.SetSize(max(w-pw-1, 1), max(h-3-inputHeight, 1))
	p.input.SetSize(w, inputHeight)
	p.help.SetWidth(w)
}

func (p *sessionPage) packetWidth() int { return min(40, max(p.width/3, 20)) }

// Reveal shows the next bot-stage line; after the last, the handover.
func (p *sessionPage) Reveal() tea.Cmd {
	stage := p.s.BotStage()
	if p.revealed < len(stage) {
		l := stage[p.revealed]
		p.revealed++
		role, label := components.RoleCustomer, p.customerLabel()
		if l.Speaker == handoff.SpeakerBot {
			role, label = components.RoleBot, p.text.Bot
		}
		p.transcript.Append(components.Message{Role: role, Label: label, At: l.At, Text: l.Text})
		return nil
	}
	if !p.handedOff {
		p.handedOff = true
		pk := p.s.Packet()
		p.transcript.Append(components.Message{Role: components.RoleEvent, At: pk.CreatedAt,
			Text: p.tt.HandedToYou + training.ReasonLabel(pk.Reason, p.lang)})
	}
	return nil
}

func (p *sessionPage) customerLabel() string {
	return termsafe.Line(p.s.Scenario().Customer.Name.In(p.lang))
}

// sync appends the session's new lines to the transcript and reports the end.
func (p *sessionPage) sync() tea.Cmd {
	lines := p.s.Lines()
	for _, l := range lines[p.synced:] {
		switch {
		case l.Action == "wait":
			continue
		case l.Speaker == training.SpeakerTrainee:
			p.transcript.Append(components.Message{Role: components.RoleOperator, Label: p.text.You, At: l.At, Text: l.Text})
		case l.Speaker == training.SpeakerCustomer:
			p.transcript.Append(components.Message{Role: components.RoleCustomer, Label: p.customerLabel(), At: l.At, Text: l.Text})
		default:
			p.transcript.Append(components.Message{Role: components.RoleEvent, At: l.At, Text: p.actionText(l)})
		}
	}
	p.synced = len(lines)
	if p.s.Phase() == training.PhaseEnded {
		return func() tea.Msg { return endedMsg{} }
	}
	return nil
}

func (p *sessionPage) actionText(l training.Line) string {
	switch l.Action {
	case "transfer":
		return p.tt.TransferredTo + l.Team.Label(p.lang)
	case "callback":
		return p.tt.CallbackBooked + l.Text
	case "close":
		return p.tt.ChatClosed
	}
	return l.Text
}

// Tick lets the real clock act: a customer kept waiting complains or leaves.
func (p *sessionPage) Tick() tea.Cmd {
	if !p.handedOff {
		return nil
	}
	p.s.Tick()
	return p.sync()
}

// Update handles keys.
func (p sessionPage) Update(msg tea.Msg) (sessionPage, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return p, cmd
	}
	if p.picking {
		switch {
		case key.Matches(k, p.keys.Cancel):
			p.picking = false
		case key.Matches(k, p.keys.Team):
			i := int(k.String()[0] - '1')
			p.picking = false
			if i >= 0 && i < len(training.Teams) {
				if _, err := p.s.Transfer(training.Teams[i]); err != nil {
					p.notice = err.Error()
				}
				return p, p.sync()
			}
		}
		return p, nil
	}
	if !p.handedOff && (key.Matches(k, p.keys.Send) || key.Matches(k, p.keys.Transfer) || key.Matches(k, p.keys.Callback) || key.Matches(k, p.keys.Close) || key.Matches(k, p.keys.Wait)) {
		p.notice = p.tt.BotStillTalking
		return p, nil
	}
	p.notice = ""
	switch {
	case key.Matches(k, p.keys.Send):
		text := strings.TrimSpace(components.NormalizeText(p.input.Value()))
		if text == "" {
			return p, nil
		}
		if _, err := p.s.Reply(text); err != nil {
			p.notice = err.Error() // the text stays in the box
		} else {
			p.input.Reset()
		}
		p.transcript.ScrollToBottom()
		return p, p.sync()
	case key.Matches(k, p.keys.Transfer):
		p.picking = true
		return p, nil
	case key.Matches(k, p.keys.Callback):
		number := strings.TrimSpace(p.input.Value())
		if _, err := p.s.BookCallback(number); err != nil {
			p.notice = err.Error()
		} else {
			p.input.Reset()
		}
		return p, p.sync()
	case key.Matches(k, p.keys.Wait):
		if !p.s.Paused() {
			p.notice = p.tt.RealClock
			return p, nil
		}
		p.s.Wait(waitStep)
		return p, p.sync()
	case key.Matches(k, p.keys.Close):
		p.s.Close()
		return p, p.sync()
	case key.Matches(k, p.keys.ScrollUp):
		p.transcript.ScrollUp(max(p.height/2, 1))
		return p, nil
	case key.Matches(k, p.keys.ScrollDown):
		p.transcript.ScrollDown(max(p.height/2, 1))
		return p, nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return p, cmd
}

// moodMeter draws the customer's mood as ten cells and a number.
func (p *sessionPage) moodMeter() string {
	m := p.s.Mood()
	filled := (m + 5) / 10
	bar := strings.Repeat("■", filled) + strings.Repeat("□", 10-filled)
	st := p.st.Good
	switch {
	case m < 30:
		st = p.st.Bad
	case m < 60:
		st = p.st.Notice
	}
	return p.tt.Mood + st.Render(bar) + fmt.Sprintf(" %3d", m)
}

// View renders exactly height rows, none wider than width.
func (p sessionPage) View() string {
	w, h := p.width, p.height
	sc := p.s.Scenario()
	title := termsafe.Line(sc.TitleIn(p.lang)) + " · " + training.PersonaName(sc.Persona, p.lang)
	clock := p.s.Now().In(time.FixedZone("JST", 9*3600)).Format("15:04:05")
	if p.s.Paused() {
		clock += p.tt.Paused
	}
	right := clock + "  " + p.moodMeter()
	title = ansi.Truncate(title, max(w-lipgloss.Width(right)-2, 1), "…")
	gap := max(w-lipgloss.Width(title)-lipgloss.Width(right), 1)
	header := p.st.Title.Render(title) + strings.Repeat(" ", gap) + right

	bodyH := max(h-3-inputHeight, 1)
	pw := p.packetWidth()
	packet := p.packetView(pw, bodyH)
	body := lipgloss.JoinHorizontal(lipgloss.Top, packet, " ", p.transcript.View())

	status := p.notice
	if p.picking {
		var parts []string
		for i, t := range training.Teams {
			parts = append(parts, fmt.Sprintf("%d %s", i+1, t.Label(p.lang)))
		}
		status = p.tt.TransferTo + strings.Join(parts, "  ") + p.tt.TransferCancel
	} else if status == "" && p.handedOff {
		steps := len(p.s.StepsDone())
		status = fmt.Sprintf(p.tt.StepsGiven, steps, len(sc.Resolution.Steps))
	}
	statusLine := p.st.Status.Render(ansi.Truncate(termsafe.Line(status), w, "…"))
	helpLine := p.help.ShortHelpView(p.ShortHelp())

	rows := []string{header}
	rows = append(rows, strings.Split(body, "\n")...)
	rows = append(rows, statusLine)
	rows = append(rows, strings.Split(p.input.View(), "\n")...)
	rows = append(rows, helpLine)
	return fitRows(rows, w, h)
}

// packetView is the handoff packet as the trainee received it.
func (p sessionPage) packetView(width, height int) string {
	inner := max(width-4, 1)
	var lines []string
	if !p.handedOff {
		lines = []string{p.st.Muted.Render(p.tt.WaitingHandover)}
	} else {
		for i, l := range p.s.PacketLines() {
			l = termsafe.Line(l)
			if i == 0 {
				lines = append(lines, p.st.PanelHead.Render(ansi.Truncate(l, inner, "…")))
				continue
			}
			lines = append(lines, strings.Split(ansi.Wrap(l, inner, ""), "\n")...)
		}
	}
	if len(lines) > height-2 {
		lines = lines[:max(height-2, 0)]
	}
	return p.st.Panel.Width(width).Height(height).MaxHeight(height).Render(strings.Join(lines, "\n"))
}

// fitRows makes a frame exactly h rows of at most w cells.
func fitRows(rows []string, w, h int) string {
	for i, r := range rows {
		rows[i] = ansi.Truncate(r, w, "")
	}
	for len(rows) < h {
		rows = append(rows, "")
	}
	return strings.Join(rows[:h], "\n")
}

// Scorecard grades the session.
func (p *sessionPage) Scorecard() training.Scorecard { return p.s.Scorecard() }
