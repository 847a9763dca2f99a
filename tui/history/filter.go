package history

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/transcripts"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
)

// Filter form fields, top to bottom.
const (
	filterFieldStatus = iota
	filterFieldTopic
	filterFieldFrom
	filterFieldTo
	filterFieldEscalated
	filterFieldLowRating
	filterFieldCount
)

var filterStatuses = []transcripts.Status{"", transcripts.StatusOpen, transcripts.StatusEscalated, transcripts.StatusClosed, transcripts.StatusAbandoned}

// filterForm edits the list's filters: status, topic, a date range,
// escalated only and rated 2 or less. Enter applies, Esc cancels.
type filterForm struct {
	e        pageEnv
	filter   transcripts.Filter
	field    int
	status   int
	topic    string
	from, to string
	err      string
	width    int
}

var _ common.Component = (*filterForm)(nil)

// SetSize implements common.Component: the form is as wide as the screen.
func (f *filterForm) SetSize(w, _ int) { f.width = w }

// ShortHelp implements help.KeyMap.
func (f *filterForm) ShortHelp() []key.Binding { return []key.Binding{f.e.keys.Back, f.e.keys.Quit} }

// FullHelp implements help.KeyMap.
func (f *filterForm) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

func newFilterForm(e pageEnv, f transcripts.Filter) filterForm {
	form := filterForm{e: e, filter: f, topic: f.Topic}
	for i, s := range filterStatuses {
		if s == f.Status {
			form.status = i
		}
	}
	if !f.FromDate.IsZero() {
		form.from = f.FromDate.String()
	}
	if !f.ToDate.IsZero() {
		form.to = f.ToDate.String()
	}
	return form
}

// key edits the form. apply: the filter changed and should be used; done:
// the form closes.
func (f *filterForm) key(k tea.KeyPressMsg) (apply, done bool) {
	hk := f.e.keys
	switch {
	case key.Matches(k, hk.Back):
		return false, true
	case k.Code == tea.KeyEnter:
		if err := f.build(); err != "" {
			f.err = err
			return false, false
		}
		return true, true
	case k.Code == 'r' && k.Mod == tea.ModCtrl:
		f.filter, f.status, f.topic, f.from, f.to, f.err = transcripts.Filter{}, 0, "", "", "", ""
		return true, true
	case k.Code == tea.KeyUp || (k.Code == tea.KeyTab && k.Mod == tea.ModShift):
		f.field = (f.field + filterFieldCount - 1) % filterFieldCount
	case k.Code == tea.KeyDown || k.Code == tea.KeyTab:
		f.field = (f.field + 1) % filterFieldCount
	case k.Code == tea.KeyLeft, k.Code == tea.KeyRight, k.Code == tea.KeySpace && f.field != filterFieldTopic:
		step := 1
		if k.Code == tea.KeyLeft {
			step = len(filterStatuses) - 1
		}
		switch f.field {
		case filterFieldStatus:
			f.status = (f.status + step) % len(filterStatuses)
		case filterFieldEscalated:
			f.filter.Escalated = !f.filter.Escalated
		case filterFieldLowRating:
			if f.filter.MaxRating > 0 {
				f.filter.MaxRating = 0
			} else {
				f.filter.MaxRating = 2
			}
		}
	case k.Code == tea.KeyBackspace:
		if p := f.text(); p != nil && *p != "" {
			_, size := utf8.DecodeLastRuneInString(*p)
			*p = (*p)[:len(*p)-size]
		}
	case k.Text != "":
		f.paste(k.Text)
	}
	return false, false
}

// paste types into the focused text field.
func (f *filterForm) paste(s string) {
	if p := f.text(); p != nil {
		*p += termsafe.Line(s)
		if utf8.RuneCountInString(*p) > 100 {
			*p = string([]rune(*p)[:100])
		}
	}
}

func (f *filterForm) text() *string {
	switch f.field {
	case filterFieldTopic:
		return &f.topic
	case filterFieldFrom:
		return &f.from
	case filterFieldTo:
		return &f.to
	}
	return nil
}

// build turns the fields into the filter, or says what is wrong.
func (f *filterForm) build() string {
	t := f.e.text
	out := f.filter
	out.Status = filterStatuses[f.status]
	out.Topic = strings.TrimSpace(f.topic)
	// Dates are days in each conversation's own zone, so
	// the form never turns them into instants in the machine's zone.
	out.From, out.To = time.Time{}, time.Time{}
	out.FromDate, out.ToDate = transcripts.Date{}, transcripts.Date{}
	if s := strings.TrimSpace(f.from); s != "" {
		d, err := transcripts.ParseDate(s)
		if err != nil {
			return fmt.Sprintf(t.FilterBadDate, t.FilterFrom)
		}
		out.FromDate = d
	}
	if s := strings.TrimSpace(f.to); s != "" {
		d, err := transcripts.ParseDate(s)
		if err != nil {
			return fmt.Sprintf(t.FilterBadDate, t.FilterTo)
		}
		out.ToDate = d // the day itself is included
	}
	f.filter = out
	return ""
}

// View draws the form in a box as wide as the screen.
func (f filterForm) View() string {
	w := f.width
	t := f.e.text
	st := f.e.st
	yesNo := func(b bool) string {
		if b {
			return "[x] " + t.Yes
		}
		return "[ ] " + t.No
	}
	status := t.FilterAll
	if s := filterStatuses[f.status]; s != "" {
		status = t.Status[string(s)]
	}
	fields := [][2]string{
		{t.FilterStatus, "‹ " + status + " ›"},
		{t.FilterTopic, termsafe.Line(f.topic)},
		{t.FilterFrom, termsafe.Line(f.from)},
		{t.FilterTo, termsafe.Line(f.to)},
		{t.FilterEsc, yesNo(f.filter.Escalated)},
		{t.FilterLow, yesNo(f.filter.MaxRating > 0)},
	}
	lines := []string{st.Header.Render(t.FilterTitle)}
	for i, fl := range fields {
		value := fl[1]
		if i == f.field && f.text() != nil {
			value += "█"
		}
		line := cell(fl[0], 22) + " " + value
		if i == f.field {
			line = st.Selected.Render("› " + line)
		} else {
			line = "  " + line
		}
		lines = append(lines, line)
	}
	if f.err != "" {
		lines = append(lines, st.Bad.Render(f.err))
	}
	lines = append(lines, st.Muted.Render(t.FilterHint))
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], max(w-4, 1), "…")
	}
	return dialogBox(st, w, lines)
}
