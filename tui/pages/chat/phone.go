package chat

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/bot/slots"
	engine "tsunagu/handoff/chat"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
)

// Messages by which the phone screen reports to the root. Esc reports
// common.BackMsg.
type (
	// PhoneSubmitMsg asks for a call to Phone (normalised).
	PhoneSubmitMsg struct{ Phone string }
	// PhoneChatMsg: chat now instead (Tab).
	PhoneChatMsg struct{}
)

var _ common.Component = (*Phone)(nil)

// Phone asks for a phone number, validating it as it is typed, and
// says when the call will come: within minutes in phone hours, or at the
// next opening outside them.
type Phone struct {
	common.Choice
	e             common.Env
	in            textinput.Model
	open          bool
	next          time.Time
	within        time.Duration
	normalised    string
	problem       string
	err           string
	booking       bool // a booking was asked for and has not come back
	width, height int
}

// NewPhone asks for a number; cb says when the call can come.
func NewPhone(e common.Env, cb engine.Callbacks, now time.Time) Phone {
	in := textinput.New()
	in.Prompt = e.Text.PhonePrompt
	in.CharLimit = 32
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	in.Focus()
	p := Phone{e: e, in: in}
	if cb != nil {
		off := cb.Offer(now)
		p.open, p.next, p.within = off.Open, off.NextOpening, off.Within
	}
	p.validate()
	return p
}

// SetSize implements common.Component.
func (p *Phone) SetSize(w, h int) {
	p.width, p.height = w, h
	if p.e.Text == nil {
		return
	}
	p.in.SetWidth(max(w-ansi.StringWidth(p.e.Text.PhonePrompt)-2, 4))
}

// SetStyles applies a new theme.
func (p *Phone) SetStyles(st *common.Styles) { p.e.Styles = st }

// Booked says the booking asked for came back, refused with err or not.
func (p *Phone) Booked(err error) {
	p.booking = false
	if err != nil {
		p.err = common.OneLine(err)
	}
}

func (p *Phone) tabKey() key.Binding {
	return key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", p.e.Text.Help["tab"]))
}

// ShortHelp implements help.KeyMap.
func (p *Phone) ShortHelp() []key.Binding { return p.keyMap().ShortHelp() }

// FullHelp implements help.KeyMap.
func (p *Phone) FullHelp() [][]key.Binding { return p.keyMap().FullHelp() }

func (p *Phone) keyMap() common.KeyMap {
	g, l := p.e.Keys.Global, p.e.Keys.List
	return common.KeyMap{Short: []key.Binding{l.Choose, p.tabKey(), g.Back, g.Quit}}
}

// validate re-checks the number after every keystroke.
func (p *Phone) validate() {
	p.normalised, p.problem = "", ""
	v := strings.TrimSpace(p.in.Value())
	if v == "" {
		return
	}
	n, err := slots.ParsePhone(v)
	if err != nil {
		var pe *slots.PhoneError
		if errors.As(err, &pe) {
			p.problem = pe.Message(p.e.Lang)
		} else {
			p.problem = p.e.Text.PhoneInvalid
		}
		return
	}
	p.normalised = n
}

// Update validates the number as it is typed and reports PhoneSubmitMsg
// (once, until the booking comes back) or PhoneChatMsg.
func (p Phone) Update(msg tea.Msg) (Phone, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, p.e.Keys.Global.Back):
			p.Report(common.BackMsg{})
			return p, nil
		case key.Matches(k, p.tabKey()):
			p.Report(PhoneChatMsg{})
			return p, nil
		case key.Matches(k, p.e.Keys.List.Choose):
			if p.normalised != "" && !p.booking {
				p.booking = true
				p.Report(PhoneSubmitMsg{Phone: p.normalised})
				return p, nil
			}
			return p, nil
		}
	}
	if paste, ok := msg.(tea.PasteMsg); ok {
		msg = tea.PasteMsg{Content: termsafe.Line(paste.Content)}
	}
	var cmd tea.Cmd
	p.in, cmd = p.in.Update(msg)
	p.validate()
	p.err = ""
	return p, cmd
}

// View implements common.Component.
func (p Phone) View() string {
	t := p.e.Text
	rows := []string{p.e.Styles.Header.Render(t.PhoneTitle), ""}
	if p.open {
		rows = append(rows, ansi.Wrap(fmt.Sprintf(t.PhoneHoursOpen, int(p.within/time.Minute)), p.width, ""))
	} else {
		rows = append(rows, ansi.Wrap(fmt.Sprintf(t.PhoneHoursShut, t.Slot(p.next)), p.width, ""))
	}
	rows = append(rows, "", p.in.View())
	switch {
	case p.normalised != "":
		rows = append(rows, p.e.Styles.Good.Render(fmt.Sprintf(t.PhoneValid, slots.FormatPhone(p.normalised))))
	case p.problem != "":
		rows = append(rows, p.e.Styles.Bad.Render("✗ "+termsafe.Line(p.problem)))
	default:
		rows = append(rows, "")
	}
	if p.err != "" {
		rows = append(rows, p.e.Styles.Bad.Render(termsafe.Line(p.err)))
	}
	rows = append(rows, "")
	if p.open {
		rows = append(rows, t.PhoneBook)
	} else {
		rows = append(rows, fmt.Sprintf(t.PhoneBookSlot, t.Slot(p.next)))
	}
	rows = append(rows, t.PhoneChatNow)
	return strings.Join(rows, "\n")
}
