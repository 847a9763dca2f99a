package tui

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
	"tsunagu/handoff/chat"
	"tsunagu/transcripts/termsafe"
)

type (
	phoneSubmitMsg struct{ phone string }
	phoneChatMsg   struct{}
)

// phonePage asks for a phone number, validating it as it is typed, and
// says when the call will come: within minutes in phone hours, or at the
// next opening outside them.
type phonePage struct {
	e             env
	out           tea.Msg
	in            textinput.Model
	open          bool
	next          time.Time
	within        time.Duration
	normalised    string
	problem       string
	err           string
	fromChat      bool
	booking       bool // a booking was asked for and has not come back
	width, height int
}

func newPhonePage(e env, cb chat.Callbacks, now time.Time, fromChat bool) phonePage {
	in := textinput.New()
	in.Prompt = e.text.PhonePrompt
	in.CharLimit = 32
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	in.Focus()
	p := phonePage{e: e, in: in, fromChat: fromChat}
	if cb != nil {
		off := cb.Offer(now)
		p.open, p.next, p.within = off.Open, off.NextOpening, off.Within
	}
	p.validate()
	return p
}

func (p *phonePage) SetSize(w, h int) {
	p.width, p.height = w, h
	if p.e.text == nil {
		return
	}
	p.in.SetWidth(max(w-ansi.StringWidth(p.e.text.PhonePrompt)-2, 4))
}

func (p *phonePage) tabKey() key.Binding {
	return key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", p.e.text.Help["tab"]))
}

// validate re-checks the number after every keystroke.
func (p *phonePage) validate() {
	p.normalised, p.problem = "", ""
	v := strings.TrimSpace(p.in.Value())
	if v == "" {
		return
	}
	n, err := slots.ParsePhone(v)
	if err != nil {
		var pe *slots.PhoneError
		if errors.As(err, &pe) {
			p.problem = pe.Message(p.e.lang)
		} else {
			p.problem = p.e.text.PhoneInvalid
		}
		return
	}
	p.normalised = n
}

func (p phonePage) Update(msg tea.Msg) (phonePage, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, p.e.keys.Global.Back):
			p.out = backMsg{}
			return p, nil
		case key.Matches(k, p.tabKey()):
			p.out = phoneChatMsg{}
			return p, nil
		case key.Matches(k, p.e.keys.List.Choose):
			if p.normalised != "" && !p.booking {
				p.booking = true
				p.out = phoneSubmitMsg{phone: p.normalised}
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

func (p phonePage) View() string {
	t := p.e.text
	rows := []string{p.e.st.Header.Render(t.PhoneTitle), ""}
	if p.open {
		rows = append(rows, ansi.Wrap(fmt.Sprintf(t.PhoneHoursOpen, int(p.within/time.Minute)), p.width, ""))
	} else {
		rows = append(rows, ansi.Wrap(fmt.Sprintf(t.PhoneHoursShut, formatSlot(p.next, p.e.lang)), p.width, ""))
	}
	rows = append(rows, "", p.in.View())
	switch {
	case p.normalised != "":
		rows = append(rows, p.e.st.Good.Render(fmt.Sprintf(t.PhoneValid, slots.FormatPhone(p.normalised))))
	case p.problem != "":
		rows = append(rows, p.e.st.Bad.Render("✗ "+termsafe.Line(p.problem)))
	default:
		rows = append(rows, "")
	}
	if p.err != "" {
		rows = append(rows, p.e.st.Bad.Render(termsafe.Line(p.err)))
	}
	rows = append(rows, "")
	if p.open {
		rows = append(rows, t.PhoneBook)
	} else {
		rows = append(rows, fmt.Sprintf(t.PhoneBookSlot, formatSlot(p.next, p.e.lang)))
	}
	rows = append(rows, t.PhoneChatNow)
	return strings.Join(rows, "\n")
}
