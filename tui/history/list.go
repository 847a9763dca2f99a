package history

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/transcripts"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

// The list never holds more than keepPages pages around the selection: a
// 100,000-row history costs a few hundred summaries of memory, and each page
// is fetched from the store's by_time index by its cursor.
const keepPages = 2 // pages kept on each side of the selection's page

// listEnv is what list commands capture: the store and the config.
type listEnv struct {
	store Store
	cfg   *Config
}

// rowDetail is what a row needs beyond the store's summary, loaded for
// visible rows only: who handled it, and a snippet around a search hit.
type rowDetail struct {
	operators  []string
	snippet    string
	snippetFor string // the query the snippet was cut for
}

type listPage struct {
	e        pageEnv
	pageSize int
	filter   transcripts.Filter
	gen      int // bumped on every reset; results of older generations are dropped

	// Browsing: pages of List, by page number.
	cursors  []string // cursors[p] fetches page p
	pages    map[int][]transcripts.Summary
	loading  map[int]bool
	known    int  // rows known to exist
	complete bool // the last page has been fetched
	listErr  error

	// Searching. searchOpen: the user has typed into the search since it
	// was last left, so Esc leaves the search (even emptied) before it
	// leaves the list.
	searchOpen  bool
	query       string
	searchSeq   int
	searching   bool
	searched    string // the query results are for ("" when browsing)
	results     []transcripts.Summary
	resultTotal int
	resultNext  string // cursor of the next page of hits, "" when all are here
	moreLoading bool   // the next page of hits is being fetched

	sel, top int
	marked   []string

	details        map[string]rowDetail
	detailsPending map[string]bool
	detailsSeq     int

	width, height int
}

func newListPage(e pageEnv, pageSize int) listPage {
	return listPage{e: e, pageSize: pageSize, pages: map[int][]transcripts.Summary{},
		loading: map[int]bool{}, details: map[string]rowDetail{}, detailsPending: map[string]bool{}}
}

// Messages of the list.
type (
	pageMsg struct {
		gen, page int
		res       transcripts.Page
		err       error
	}
	searchDueMsg struct{ seq int }
	searchMsg    struct {
		seq   int
		query string
		more  bool // a further page of the same search
		res   searchPage
		err   error
	}
	detailsDueMsg struct{ seq int }
	detailsMsg    struct {
		details map[string]rowDetail // each row knows the query it was made for
	}
)

var _ common.Component = (*listPage)(nil)

// ShortHelp implements help.KeyMap.
func (l *listPage) ShortHelp() []key.Binding { return l.keyMap().ShortHelp() }

// FullHelp implements help.KeyMap.
func (l *listPage) FullHelp() [][]key.Binding { return l.keyMap().FullHelp() }

func (l *listPage) keyMap() common.KeyMap {
	k := l.e.keys
	// A read-only store keeps the delete key (it explains why nothing
	// happens) but leaves it out of the help.
	del := k.Delete
	if l.e.readOnly {
		del.SetEnabled(false)
	}
	return common.KeyMap{Short: []key.Binding{k.Up, k.Open, k.Filter, k.Mark, k.Export, del, k.Back, k.Help},
		Extra: []key.Binding{k.PageUp, k.Home, k.Quit}}
}

// SetSize implements common.Component.
func (l *listPage) SetSize(w, h int) {
	l.width, l.height = w, h
	l.scroll()
}

// rowsHeight is how many rows the table shows: the body minus the search
// line, the filter line (when filters are on) and the column header.
func (l *listPage) rowsHeight() int {
	n := l.height - 2
	if l.filterText() != "" {
		n--
	}
	return max(n, 1)
}

// inSearch reports whether Esc has a search to leave: one typed (even if
// emptied again) or shown.
func (l *listPage) inSearch() bool { return l.searchOpen || l.query != "" || l.searched != "" }

// leaveSearch goes back to the plain list.
func (l *listPage) leaveSearch(env listEnv) tea.Cmd {
	l.searchOpen = false
	return l.setQuery(env, "")
}

// searchMode reports whether the rows are search results.
func (l *listPage) searchMode() bool { return l.searched != "" }

func (l *listPage) rowCount() int {
	if l.searchMode() {
		return len(l.results)
	}
	return l.known
}

// row returns row i, or false while its page is being fetched.
func (l *listPage) row(i int) (transcripts.Summary, bool) {
	if l.searchMode() {
		if i >= 0 && i < len(l.results) {
			return l.results[i], true
		}
		return transcripts.Summary{}, false
	}
	p := l.pages[i/l.pageSize]
	if i < 0 || i%l.pageSize >= len(p) {
		return transcripts.Summary{}, false
	}
	return p[i%l.pageSize], true
}

func (l *listPage) current() (transcripts.Summary, bool) { return l.row(l.sel) }

func (l *listPage) words() []string {
	if !l.searchMode() {
		return nil
	}
	return components.HitWords(l.searched)
}

// reset starts browsing from the first page (after opening, a filter
// change, or a delete). A running search is repeated with the new filter.
func (l *listPage) reset(env listEnv) tea.Cmd {
	l.gen++
	l.cursors = []string{""}
	l.pages = map[int][]transcripts.Summary{}
	l.loading = map[int]bool{}
	l.known, l.complete, l.listErr = 0, false, nil
	l.sel, l.top = 0, 0
	// No total is asked for: counting walks every record of the file,
	// which on a big store costs more time and memory than the whole
	// browser. The count is exact once the last page has been seen.
	cmds := []tea.Cmd{l.fetch(env, 0)}
	if l.query != "" {
		l.searched = ""
		cmds = append(cmds, l.searchNow(env))
	}
	return tea.Batch(cmds...)
}

// ensure fetches what the visible rows need (pages and details).
func (l *listPage) ensure(env listEnv) tea.Cmd {
	var cmds []tea.Cmd
	if l.searchMode() {
		cmds = append(cmds, l.moreHits(env))
	} else {
		cur := l.sel / l.pageSize
		first := l.top / l.pageSize
		last := (l.top + l.rowsHeight()) / l.pageSize
		for p := first; p <= last; p++ {
			cmds = append(cmds, l.fetch(env, p))
		}
		// Prefetch the next page when the selection nears the known end.
		if !l.complete && l.sel+l.pageSize/2 >= l.known {
			cmds = append(cmds, l.fetch(env, len(l.cursors)-1))
		}
		for p := range l.pages {
			if p < cur-keepPages || p > cur+keepPages {
				if p < first || p > last {
					delete(l.pages, p)
				}
			}
		}
	}
	cmds = append(cmds, l.detailsSoon(env))
	return tea.Batch(cmds...)
}

// detailsDelay is how long the rows must stay still before their details
// are loaded: rows flying past while someone holds ↓ or PgDn are not
// worth a read of every conversation.
const detailsDelay = 80 * time.Millisecond

func (l *listPage) detailsSoon(env listEnv) tea.Cmd {
	l.detailsSeq++
	seq := l.detailsSeq
	return env.cfg.Tick(detailsDelay, func(time.Time) tea.Msg { return detailsDueMsg{seq: seq} })
}

// fetch loads page p when its cursor is known and it is neither loaded nor
// loading.
func (l *listPage) fetch(env listEnv, p int) tea.Cmd {
	if p < 0 || p >= len(l.cursors) || l.loading[p] || l.pages[p] != nil {
		return nil
	}
	l.loading[p] = true
	st, f, cursor, gen, size := env.store, l.filter, l.cursors[p], l.gen, l.pageSize
	return func() tea.Msg {
		res, err := st.List(f, cursor, size)
		return pageMsg{gen: gen, page: p, res: res, err: err}
	}
}

// handle takes the list's own messages.
func (l *listPage) handle(env listEnv, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pageMsg:
		if msg.gen != l.gen {
			return nil
		}
		delete(l.loading, msg.page)
		if msg.err != nil {
			l.listErr = msg.err
			return nil
		}
		items := msg.res.Items
		if items == nil {
			items = []transcripts.Summary{}
		}
		l.pages[msg.page] = items
		if msg.res.Next != "" && len(l.cursors) == msg.page+1 {
			l.cursors = append(l.cursors, msg.res.Next)
		}
		if msg.res.Next == "" {
			l.complete = true
			l.known = msg.page*l.pageSize + len(items)
		} else {
			l.known = max(l.known, (msg.page+1)*l.pageSize)
		}
		return l.ensure(env)
	case searchDueMsg:
		if msg.seq != l.searchSeq || l.query == "" {
			return nil
		}
		return l.searchNow(env)
	case searchMsg:
		if msg.seq != l.searchSeq {
			return nil
		}
		if msg.err != nil && !errors.Is(msg.err, transcripts.ErrInvalid) {
			l.listErr = msg.err
		}
		if msg.more {
			l.moreLoading = false
			if msg.err != nil {
				return nil
			}
			l.results = append(l.results, msg.res.Items...)
			l.resultTotal, l.resultNext = msg.res.Total, msg.res.Next
			return l.ensure(env)
		}
		l.searching = false
		l.searched = msg.query
		l.results, l.resultTotal, l.resultNext = msg.res.Items, msg.res.Total, msg.res.Next
		l.sel, l.top = 0, 0
		return l.ensure(env)
	case detailsDueMsg:
		if msg.seq != l.detailsSeq {
			return nil
		}
		return l.loadDetails(env)
	case detailsMsg:
		for id, d := range msg.details {
			delete(l.detailsPending, id)
			l.details[id] = d
		}
		return nil
	}
	return nil
}

// key handles navigation and typing in the list.
func (l *listPage) key(env listEnv, k tea.KeyPressMsg) tea.Cmd {
	hk := l.e.keys
	switch {
	case key.Matches(k, hk.Up):
		l.move(-1)
	case key.Matches(k, hk.Down):
		l.move(1)
	case key.Matches(k, hk.PageUp):
		l.move(-l.rowsHeight())
	case key.Matches(k, hk.PageDown):
		l.move(l.rowsHeight())
	case key.Matches(k, hk.Home):
		l.sel = 0
		l.scroll()
	case key.Matches(k, hk.Mark):
		if row, ok := l.current(); ok {
			if i := slices.Index(l.marked, row.ID); i >= 0 {
				l.marked = slices.Delete(l.marked, i, i+1)
			} else {
				l.marked = append(l.marked, row.ID)
			}
			l.move(1)
		}
	case k.Code == tea.KeyBackspace:
		if l.query == "" {
			return nil
		}
		_, size := utf8.DecodeLastRuneInString(l.query)
		return l.setQuery(env, l.query[:len(l.query)-size])
	case k.Text != "" && k.Mod&(tea.ModCtrl|tea.ModAlt) == 0:
		return l.typeText(env, k.Text)
	default:
		return nil
	}
	return l.ensure(env)
}

// typeText adds typed or pasted text to the search (one line, sanitised,
// at most 200 characters).
func (l *listPage) typeText(env listEnv, s string) tea.Cmd {
	s = termsafe.Line(s)
	l.searchOpen = true
	q := l.query + s
	if utf8.RuneCountInString(q) > 200 {
		q = string([]rune(q)[:200])
	}
	return l.setQuery(env, q)
}

// setQuery changes the search text. The search itself runs once typing
// pauses for SearchDelay; an empty query goes back to browsing at once.
func (l *listPage) setQuery(env listEnv, q string) tea.Cmd {
	if q == l.query {
		return nil
	}
	l.query = q
	l.searchSeq++
	if strings.TrimSpace(q) == "" {
		l.searching, l.searched, l.results, l.resultTotal, l.resultNext, l.moreLoading = false, "", nil, 0, "", false
		l.sel, l.top = 0, 0
		return l.ensure(env)
	}
	l.searching = true
	seq := l.searchSeq
	return env.cfg.Tick(env.cfg.SearchDelay, func(time.Time) tea.Msg { return searchDueMsg{seq: seq} })
}

func (l *listPage) searchNow(env listEnv) tea.Cmd {
	l.searchSeq++
	l.searching, l.moreLoading = true, false
	st, q, f, seq, limit := env.store, l.query, l.filter, l.searchSeq, env.cfg.SearchLimit
	return func() tea.Msg {
		res, err := searchFrom(st, q, f, "", 0, limit)
		return searchMsg{seq: seq, query: q, res: res, err: err}
	}
}

// moreHits fetches the next page of hits when the selection nears the end
// of those shown, so scrolling pages through every match (issue 15).
func (l *listPage) moreHits(env listEnv) tea.Cmd {
	if l.resultNext == "" || l.moreLoading || l.searching || l.sel+l.rowsHeight()+env.cfg.SearchLimit/2 < len(l.results) {
		return nil
	}
	l.moreLoading = true
	st, q, f, seq, limit := env.store, l.searched, l.filter, l.searchSeq, env.cfg.SearchLimit
	cursor, have := l.resultNext, len(l.results)
	return func() tea.Msg {
		res, err := searchFrom(st, q, f, cursor, have, limit)
		return searchMsg{seq: seq, query: q, more: true, res: res, err: err}
	}
}

// searchPage is one page of hits: Next is "" on the last.
type searchPage = transcripts.SearchPage

// searchPager is a store that pages a search by cursor
// (*transcripts.Store does).
type searchPager interface {
	SearchAfter(query string, f transcripts.Filter, cursor string, limit int) (transcripts.SearchPage, error)
}

// searchFrom fetches limit hits after the have already shown (cursor names
// the last of them). A store without SearchAfter is asked for have+limit
// hits and the new ones are kept.
func searchFrom(st Store, q string, f transcripts.Filter, cursor string, have, limit int) (searchPage, error) {
	if p, ok := st.(searchPager); ok {
		return p.SearchAfter(q, f, cursor, limit)
	}
	res, err := st.Search(q, f, have+limit)
	var page searchPage
	page.Total = res.Total
	if have < len(res.Items) {
		page.Items = res.Items[have:]
	}
	if have+len(page.Items) < res.Total && len(page.Items) > 0 {
		page.Next = "more"
	}
	return page, err
}

func (l *listPage) move(d int) {
	n := l.rowCount()
	if n == 0 {
		return
	}
	l.sel = min(max(l.sel+d, 0), n-1)
	l.scroll()
}

// scroll keeps the selection inside the visible rows.
func (l *listPage) scroll() {
	h := l.rowsHeight()
	if l.sel < l.top {
		l.top = l.sel
	}
	if l.sel >= l.top+h {
		l.top = l.sel - h + 1
	}
	l.top = max(l.top, 0)
}

func (l *listPage) markedIDs() []string { return slices.Clone(l.marked) }

func (l *listPage) clearMarks() { l.marked = nil }

// forget drops a deleted conversation from the search results and marks.
func (l *listPage) forget(id string) {
	l.results = slices.DeleteFunc(l.results, func(s transcripts.Summary) bool { return s.ID == id })
	if i := slices.Index(l.marked, id); i >= 0 {
		l.marked = slices.Delete(l.marked, i, i+1)
	}
	delete(l.details, id)
}

// loadDetails loads, in one command, what the visible rows lack: the
// operators of escalated conversations, and in a search, a snippet around
// the hit when the preview shows none.
func (l *listPage) loadDetails(env listEnv) tea.Cmd {
	if len(l.details) > 4000 {
		l.details = map[string]rowDetail{}
	}
	words := l.words()
	var ids []string
	for i := l.top; i < l.top+l.rowsHeight() && i < l.rowCount(); i++ {
		row, ok := l.row(i)
		if !ok || l.detailsPending[row.ID] {
			continue
		}
		d, have := l.details[row.ID]
		needSnippet := len(words) > 0 && !components.Contains(previewLine(row.Preview), words) && d.snippetFor != l.searched
		if (have || !row.Escalated) && !needSnippet {
			continue
		}
		l.detailsPending[row.ID] = true
		ids = append(ids, row.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	st, query := env.store, l.searched
	return func() tea.Msg {
		out := make(map[string]rowDetail, len(ids))
		for _, id := range ids {
			c, err := st.Load(id)
			if err != nil {
				out[id] = rowDetail{snippetFor: query}
				continue
			}
			out[id] = detailOf(c, words, query)
		}
		return detailsMsg{details: out}
	}
}

func detailOf(c transcripts.Conversation, words []string, query string) rowDetail {
	d := rowDetail{snippetFor: query}
	for _, e := range c.Entries {
		name := ""
		switch {
		case e.Role == transcripts.RoleOperator:
			name = e.Author
		case e.Meta != nil && (e.Event == transcripts.EventOperatorJoined || e.Event == transcripts.EventTransfer):
			name = e.Meta.Operator
		}
		if name = termsafe.Line(name); name != "" && !slices.Contains(d.operators, name) {
			d.operators = append(d.operators, name)
		}
		if d.snippet == "" && len(words) > 0 && e.Text != "" {
			for _, line := range strings.Split(termsafe.Text(e.Text), "\n") {
				if components.Contains(line, words) {
					d.snippet = snippet(line, words)
					break
				}
			}
		}
	}
	return d
}

// snippet cuts a line so the first hit is near its start.
func snippet(line string, words []string) string {
	marks := components.HitSpans(line, words)
	first := slices.Index(marks, true)
	if first <= 8 {
		return line
	}
	return "…" + string([]rune(line)[first-6:])
}

func previewLine(s string) string {
	s = termsafe.Text(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// --- view ----------------------------------------------------------------

// columns lays the table out for the width: when, topic, order, channel,
// handled by, status; the problem takes what is left. Narrow terminals get
// shorter cells, never fewer rows.
func columns(width int) []int {
	var cols []int
	switch {
	case width >= 110:
		cols = []int{16, 20, 19, 8, 12, 9}
	case width >= 60:
		cols = []int{11, 11, 8, 8, 10, 7}
	default:
		cols = []int{11, 0, 0, 0, 0, 6}
	}
	used := 2 // selection marker
	for _, c := range cols {
		if c > 0 {
			used += c + 1
		}
	}
	return append(cols, max(width-used, 1))
}

func (l listPage) View() string {
	t := l.e.text
	st := l.e.st
	w := l.width
	var rows []string

	// Search line, with the count on the right.
	status := l.countText()
	search := st.Header.Render(t.SearchPrompt) + termsafe.Line(l.query) + "█"
	gap := w - ansi.StringWidth(search) - ansi.StringWidth(status)
	if gap < 1 {
		rows = append(rows, ansi.Truncate(search, w, ""))
	} else {
		rows = append(rows, search+strings.Repeat(" ", gap)+st.Muted.Render(status))
	}
	if f := l.filterText(); f != "" {
		rows = append(rows, st.Notice.Render(ansi.Truncate(fmt.Sprintf(t.FilterOn, f), w, "…")))
	}
	cols := columns(w)
	names := t.Columns
	if w < 110 {
		names = t.ColumnsShort
	}
	head := "  "
	for i, c := range cols {
		if c == 0 {
			continue
		}
		head += cell(names[i], c)
		if i < len(cols)-1 {
			head += " "
		}
	}
	rows = append(rows, st.Header.Render(ansi.Truncate(head, w, "")))

	n := l.rowCount()
	switch {
	case l.listErr != nil:
		rows = append(rows, st.Bad.Render(wrapped(termsafe.Line(common.OneLine(l.listErr)), w)))
	case n == 0 && l.searchMode():
		rows = append(rows, st.Muted.Render(wrapped(fmt.Sprintf(t.SearchNone, termsafe.Line(l.searched)), w)))
	case n == 0 && l.complete && l.filter != (transcripts.Filter{}):
		rows = append(rows, st.Muted.Render(wrapped(t.NoMatch, w)))
	case n == 0 && l.complete:
		rows = append(rows, "", st.Header.Render(wrapped(t.Empty, w)), st.Muted.Render(wrapped(t.EmptyHint, w)))
	case n == 0:
		rows = append(rows, st.Muted.Render(t.Loading))
	}
	words := l.words()
	for i := l.top; i < l.top+l.rowsHeight() && i < n; i++ {
		rows = append(rows, l.rowView(i, cols, words))
	}
	return strings.Join(rows, "\n")
}

func (l *listPage) countText() string {
	t := l.e.text
	var s string
	switch {
	case l.searching:
		s = t.Searching
	case l.searchMode():
		s = fmt.Sprintf(t.SearchHits, len(l.results), l.resultTotal)
	case l.complete:
		s = fmt.Sprintf(t.RowsAll, l.known)
	case l.known > 0:
		s = fmt.Sprintf(t.Rows, l.known)
	}
	if len(l.marked) > 0 {
		s = fmt.Sprintf(t.Marked, len(l.marked)) + " · " + s
	}
	return s
}

func (l *listPage) rowView(i int, cols []int, words []string) string {
	t := l.e.text
	row, ok := l.row(i)
	selected := i == l.sel
	base := lipgloss.NewStyle()
	if selected {
		base = l.e.st.Selected
	}
	hit := l.e.hit
	if !ok {
		return base.Render(cell("  "+t.Loading, l.width))
	}
	handled := t.BotOnly
	if row.Escalated {
		handled = "…"
		sep := ", "
		if cols[4] < 11 {
			sep = ","
		}
		if d, ok := l.details[row.ID]; ok && len(d.operators) > 0 {
			handled = strings.Join(d.operators, sep)
		} else if ok {
			handled = t.NoOperator
		}
	}
	status := t.Status[string(row.Status)]
	if status == "" {
		status = string(row.Status)
	}
	channel := t.Channel[row.Channel]
	if channel == "" {
		channel = row.Channel
	}
	problem := previewLine(row.Preview)
	if len(words) > 0 && !components.Contains(problem, words) {
		if d, ok := l.details[row.ID]; ok && d.snippet != "" {
			problem = d.snippet
		}
	}
	when := row.StartedAt.In(row.Location()) // the zone it was recorded in
	whenText := when.Format("01-02 15:04")
	if cols[0] >= 16 {
		whenText = when.Format("2006-01-02 15:04")
	}
	order := termsafe.Line(row.OrderID)
	if w := ansi.StringWidth(order); cols[2] > 0 && w > cols[2] {
		// The end of an order id tells orders apart; keep it.
		order = "…" + ansi.TruncateLeft(order, w-cols[2]+1, "")
	}
	values := []string{whenText, row.Topic, order, channel, handled, status, problem}
	marker := "  "
	if slices.Contains(l.marked, row.ID) {
		marker = "* "
	}
	if selected {
		marker = "›" + marker[1:]
	}
	var b strings.Builder
	b.WriteString(base.Render(marker))
	for ci, c := range cols {
		if c == 0 {
			continue
		}
		text := ansi.Truncate(termsafe.Line(values[ci]), c, "…")
		pad := strings.Repeat(" ", max(c-ansi.StringWidth(text), 0))
		if ci < len(cols)-1 {
			pad += " "
		}
		if selected {
			b.WriteString(components.HighlightOn(text, words, hit, base))
		} else {
			b.WriteString(components.Highlight(text, words, hit))
		}
		b.WriteString(base.Render(pad))
	}
	return b.String()
}

// cell cuts s to w columns and pads it to exactly w.
func cell(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}

// filterText describes the active filters, or "".
func (l *listPage) filterText() string {
	f := l.filter
	t := l.e.text
	var parts []string
	if f.Status != "" {
		parts = append(parts, t.FilterStatus+"="+t.Status[string(f.Status)])
	}
	if f.Topic != "" {
		parts = append(parts, t.FilterTopic+"="+termsafe.Line(f.Topic))
	}
	if !f.FromDate.IsZero() {
		parts = append(parts, t.FilterFrom+"="+f.FromDate.String())
	}
	if !f.ToDate.IsZero() {
		parts = append(parts, t.FilterTo+"="+f.ToDate.String())
	}
	if f.Escalated {
		parts = append(parts, t.FilterEsc)
	}
	if f.MaxRating > 0 {
		parts = append(parts, t.FilterLow)
	}
	return strings.Join(parts, ", ")
}

// wrapped is plain text wrapped to width as the chat's transcript wraps.
func wrapped(s string, width int) string { return strings.Join(components.WrapText(s, width), "\n") }
