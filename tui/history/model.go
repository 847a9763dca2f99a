package history

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/transcripts"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

// Store is what the history browser needs of the conversation store
// (*transcripts.Store). Every call may be slow on a big store, so the
// browser only calls it from commands.
type Store interface {
	List(f transcripts.Filter, cursor string, limit int) (transcripts.Page, error)
	Search(query string, f transcripts.Filter, limit int) (transcripts.SearchResult, error)
	Load(id string) (transcripts.Conversation, error)
	Delete(id string) error
	ExportFile(path string, format transcripts.Format, ids ...string) error
	// ReadOnlyReason is nil when the store can be written.
	ReadOnlyReason() error
}

// Config is everything the history browser needs.
type Config struct {
	Lang    string // "ja" or "en"
	Clock   common.Clock
	NoColor bool
	// Open opens the store. It runs in a command after the first frame. A
	// nil store with a nil error means there is no store yet (empty
	// history). See Opener for the standard one.
	Open func() (Store, error)
	// ExportDir is where exports are written ("" means the current folder).
	ExportDir string
	// Resume, when set, continues a stored conversation in the chat app; the
	// resume key is hidden when it is nil.
	Resume func(id string) tea.Cmd
	// Close, when set, is what leaving the history does (the chat app
	// switches back to its own screen); nil quits the program.
	Close func() tea.Cmd
	// Query, when set, is searched as soon as the store is open: the chat
	// app can open the history on the conversation that just ended by
	// passing its id (ids are indexed).
	Query string
	// PageSize is how many rows one List call fetches (default 100);
	// SearchLimit how many search hits one page of a search fetches
	// (default 100; scrolling fetches the next, and the count of all
	// matches is shown beside them).
	PageSize    int
	SearchLimit int
	// SearchDelay is how long typing must pause before a search runs
	// (default 120 ms), so a fast typist does not queue a search per key.
	SearchDelay time.Duration
	// Tick makes timer commands; tests replace it (default tea.Tick).
	Tick func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
}

type screenKind int

const (
	screenList screenKind = iota
	screenConversation
)

type dialogKind int

const (
	dialogNone dialogKind = iota
	dialogFilter
	dialogExport
	dialogDelete
)

// Model is the history browser: a list of stored conversations (newest
// first, paged from the store so 100,000 rows cost only what is on screen),
// type-to-search with highlighted hits, filters, an open conversation with
// its events, the handoff packet and the bot's decisions, and export,
// clipboard copy, delete and resume. It is a tea.Model of its own for
// "tsunagu history", and the chat app can show it as a screen (Frame,
// Update, SetSize).
type Model struct {
	cfg  Config
	lang string
	text *common.HistoryStrings
	ct   *common.Strings
	st   *common.Styles
	keys common.HistoryKeys
	help help.Model

	width, height int
	fullHelp      bool

	store    Store
	opened   bool  // the open command returned
	openErr  error // why the store could not be opened
	readOnly string

	screen screenKind
	dialog dialogKind
	list   listPage
	conv   convPage
	form   filterForm

	exportIDs []string // what the export dialog will write
	deleteRow transcripts.Summary
	deleting  bool
	notice    string
	noticeBad bool
}

// New builds the browser. Nothing slow happens here: Init opens the
// store in a command.
func New(cfg Config) *Model {
	if cfg.Lang != "ja" {
		cfg.Lang = "en"
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 100
	}
	if cfg.SearchLimit <= 0 {
		cfg.SearchLimit = 100
	}
	if cfg.SearchDelay <= 0 {
		cfg.SearchDelay = 120 * time.Millisecond
	}
	if cfg.Tick == nil {
		cfg.Tick = tea.Tick
	}
	if cfg.Clock == nil {
		cfg.Clock = wallClock{}
	}
	h := &Model{cfg: cfg, lang: cfg.Lang, text: common.HistoryText(cfg.Lang), ct: common.Text(cfg.Lang)}
	h.keys = common.NewHistoryKeys(h.ct)
	h.keys.PanelUp.SetHelp("K/J", h.text.PanelScroll)
	h.keys.Resume.SetEnabled(cfg.Resume != nil)
	h.help = help.New()
	h.setTheme(true)
	h.list = newListPage(h.env(), cfg.PageSize)
	return h
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

// pageEnv is what the history pages read.
type pageEnv struct {
	st   *common.Styles
	text *common.HistoryStrings
	ct   *common.Strings
	keys common.HistoryKeys
	lang string
	hit  lipgloss.Style
	// readOnly: the store cannot be written, so delete and resume are
	// left out of the help.
	readOnly bool
}

func (h *Model) env() pageEnv {
	return pageEnv{st: h.st, text: h.text, ct: h.ct, keys: h.keys, lang: h.lang, hit: common.HistoryHit(h.st),
		readOnly: h.readOnly != ""}
}

// shareEnv hands the pages a new theme or what the store allows.
func (h *Model) shareEnv() {
	e := h.env()
	h.list.e, h.form.e = e, e
	h.conv.setEnv(e)
}

func (h *Model) setTheme(isDark bool) {
	h.st = common.NewStyles(isDark, h.cfg.NoColor)
	h.help.Styles = help.DefaultStyles(isDark)
	if h.cfg.NoColor {
		h.help.Styles = help.Styles{}
	}
	h.shareEnv()
}

// Messages of the history browser. Each is produced by one of its commands.
type (
	openedMsg struct {
		store Store
		err   error
	}
	exportedMsg struct {
		path string
		kept string // the file of the first name, left as it was; "" if there was none
		err  error
	}
	deletedMsg struct {
		id  string
		err error
	}
	copiedMsg struct{ chars int }
)

// Init asks for the background colour and opens the store.
func (h *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, h.openCmd())
}

func (h *Model) openCmd() tea.Cmd {
	open := h.cfg.Open
	if open == nil {
		return func() tea.Msg { return openedMsg{} }
	}
	return func() tea.Msg {
		s, err := open()
		return openedMsg{store: s, err: err}
	}
}

// Update is the root of all the browser's state changes.
func (h *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	return h, h.update(msg)
}

func (h *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.SetSize(msg.Width, msg.Height)
		if h.store != nil && h.screen == screenList {
			return h.list.ensure(h.searchEnv()) // more rows may be visible now
		}
		return nil
	case tea.BackgroundColorMsg:
		h.setTheme(msg.IsDark())
		return nil
	case openedMsg:
		return h.storeOpened(msg)
	case exportedMsg:
		if msg.err != nil {
			h.say(fmt.Sprintf(h.text.ExportFailed, common.OneLine(msg.err)), true)
		} else if msg.kept != "" {
			h.say(fmt.Sprintf(h.text.ExportBeside, msg.path, filepath.Base(msg.kept)), false)
			h.list.clearMarks()
		} else {
			h.say(fmt.Sprintf(h.text.ExportDone, msg.path), false)
			h.list.clearMarks()
		}
		return nil
	case deletedMsg:
		return h.deleted(msg)
	case copiedMsg:
		h.say(fmt.Sprintf(h.text.CopyDone, msg.chars), false)
		return nil
	case convMsg:
		if h.screen == screenConversation {
			h.conv.loaded(msg)
		}
		return nil
	case tea.KeyPressMsg:
		return h.key(msg)
	case tea.PasteMsg:
		if h.screen == screenList && h.dialog == dialogNone && h.store != nil {
			return h.list.typeText(h.searchEnv(), msg.Content)
		}
		if h.dialog == dialogFilter {
			h.form.paste(msg.Content)
		}
		return nil
	}
	if h.store != nil {
		return h.list.handle(h.searchEnv(), msg)
	}
	return nil
}

// SetSize lays the pages out for a terminal of w×hgt.
func (h *Model) SetSize(w, hgt int) {
	h.width, h.height = max(w, 0), max(hgt, 0)
	h.layout()
}

func (h *Model) layout() {
	h.help.SetWidth(h.width)
	body := h.bodyHeight()
	h.list.SetSize(h.width, body)
	h.conv.SetSize(h.width, body)
	h.form.SetSize(h.width, body)
}

func (h *Model) bodyHeight() int {
	n := h.height - 1 - h.helpHeight() - len(h.noticeLines())
	return max(n, 0)
}

// noticeLines is the notice wrapped to the width, three lines at most (an
// export error names a long path).
func (h *Model) noticeLines() []string {
	if h.notice == "" || h.width <= 0 {
		return nil
	}
	lines := components.WrapText(h.notice, h.width)
	if len(lines) > 3 {
		lines = lines[:3]
		lines[2] = ansi.Truncate(lines[2]+"…", h.width, "…")
	}
	return lines
}

func (h *Model) helpHeight() int { return strings.Count(h.helpView(), "\n") + 1 }

func (h *Model) storeOpened(msg openedMsg) tea.Cmd {
	h.opened = true
	h.openErr = msg.err
	if msg.err != nil {
		return nil
	}
	h.store = msg.store
	if h.store == nil {
		h.store = emptyStore{}
	}
	if ro := h.store.ReadOnlyReason(); ro != nil {
		var roe *transcripts.ReadOnlyError
		reason := common.OneLine(ro)
		if errors.As(ro, &roe) {
			reason = roe.Reason
		}
		h.readOnly = termsafe.Line(reason)
		h.shareEnv()
	}
	if q := termsafe.Line(h.cfg.Query); q != "" && h.list.query == "" {
		h.list.query = q
	}
	return h.list.reset(h.searchEnv())
}

// searchEnv is what list commands capture: the store and the knobs.
func (h *Model) searchEnv() listEnv {
	return listEnv{store: h.store, cfg: &h.cfg}
}

func (h *Model) say(text string, bad bool) {
	h.notice, h.noticeBad = termsafe.Line(text), bad
	h.layout()
}

func (h *Model) leave() tea.Cmd {
	if h.cfg.Close != nil {
		return h.cfg.Close()
	}
	return tea.Quit
}

func (h *Model) key(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, h.keys.Quit) {
		return tea.Quit
	}
	if h.openErr != nil || !h.opened {
		if h.openErr != nil && key.Matches(k, h.keys.Retry) {
			h.openErr, h.opened = nil, false
			return h.openCmd()
		}
		if key.Matches(k, h.keys.Back) {
			return h.leave()
		}
		return nil
	}
	if key.Matches(k, h.keys.Help) {
		h.fullHelp = !h.fullHelp
		h.layout()
		return nil
	}
	if h.notice != "" && h.dialog == dialogNone {
		h.notice = ""
		h.layout()
	}
	switch h.dialog {
	case dialogFilter:
		apply, done := h.form.key(k)
		if done {
			h.dialog = dialogNone
		}
		if apply {
			h.list.filter = h.form.filter
			return h.list.reset(h.searchEnv())
		}
		return nil
	case dialogExport:
		return h.exportKey(k)
	case dialogDelete:
		return h.deleteKey(k)
	}
	if h.screen == screenConversation {
		return h.convKey(k)
	}
	return h.listKey(k)
}

func (h *Model) listKey(k tea.KeyPressMsg) tea.Cmd {
	hk := h.keys
	l := &h.list
	switch {
	case key.Matches(k, hk.Open):
		row, ok := l.current()
		if !ok {
			return nil
		}
		h.screen = screenConversation
		h.conv = newConvPage(h.env(), row, l.words())
		h.layout()
		return h.conv.load(h.store)
	case key.Matches(k, hk.Filter):
		h.form = newFilterForm(h.env(), l.filter)
		h.form.SetSize(h.width, h.bodyHeight())
		h.dialog = dialogFilter
		return nil
	case key.Matches(k, hk.Export):
		ids := l.markedIDs()
		if len(ids) == 0 {
			if row, ok := l.current(); ok {
				ids = []string{row.ID}
			}
		}
		if len(ids) > 0 {
			h.exportIDs, h.dialog = ids, dialogExport
		}
		return nil
	case key.Matches(k, hk.Delete):
		return h.askDelete(l.current())
	case key.Matches(k, hk.Back):
		// Esc goes back one step: out of a search (even an emptied one) or
		// a marking first; only the plain list is left (issue 15).
		if l.inSearch() || len(l.marked) > 0 {
			l.clearMarks()
			return l.leaveSearch(h.searchEnv())
		}
		return h.leave()
	}
	return l.key(h.searchEnv(), k)
}

func (h *Model) convKey(k tea.KeyPressMsg) tea.Cmd {
	hk := h.keys
	c := &h.conv
	switch {
	case key.Matches(k, hk.Back):
		h.screen = screenList
		h.layout()
		return h.list.ensure(h.searchEnv())
	case key.Matches(k, hk.Copy):
		if !c.ready() {
			return nil
		}
		text := c.plainText()
		n := len([]rune(text))
		return tea.Batch(tea.SetClipboard(text), func() tea.Msg { return copiedMsg{chars: n} })
	case key.Matches(k, hk.ConvExport):
		if c.ready() {
			h.exportIDs, h.dialog = []string{c.row.ID}, dialogExport
		}
		return nil
	case key.Matches(k, hk.ConvDelete):
		return h.askDelete(c.row, c.ready())
	case key.Matches(k, hk.Resume):
		if h.cfg.Resume == nil || !c.ready() {
			return nil
		}
		// Only a conversation still going on can be continued, and only in a
		// store the chat can write to.
		switch {
		case c.conv.Status == transcripts.StatusClosed:
			h.say(h.ct.ResumeClosed, true)
			return nil
		case h.readOnly != "":
			h.say(h.ct.ResumeReadOnly, true)
			return nil
		}
		h.say(fmt.Sprintf(h.text.ResumeAsked, termsafe.Line(c.row.ID)), false)
		return h.cfg.Resume(c.row.ID)
	}
	c.key(k)
	return nil
}

func (h *Model) askDelete(row transcripts.Summary, ok bool) tea.Cmd {
	if !ok {
		return nil
	}
	if h.readOnly != "" {
		h.say(h.text.DeleteRO, true)
		return nil
	}
	h.deleteRow, h.dialog = row, dialogDelete
	return nil
}

func (h *Model) deleteKey(k tea.KeyPressMsg) tea.Cmd {
	if h.deleting {
		return nil
	}
	switch {
	case k.Text == "y" || k.Text == "Y":
		h.deleting = true
		st, id := h.store, h.deleteRow.ID
		return func() tea.Msg { return deletedMsg{id: id, err: st.Delete(id)} }
	case k.Text == "n" || k.Text == "N" || key.Matches(k, h.keys.Back):
		h.dialog = dialogNone
	}
	return nil
}

func (h *Model) deleted(msg deletedMsg) tea.Cmd {
	h.deleting, h.dialog = false, dialogNone
	if msg.err != nil {
		h.say(fmt.Sprintf(h.text.DeleteFailed, common.OneLine(msg.err)), true)
		return nil
	}
	h.say(fmt.Sprintf(h.text.DeleteDone, termsafe.Line(msg.id)), false)
	h.screen = screenList
	h.list.forget(msg.id)
	h.layout()
	return h.list.reset(h.searchEnv()) // keeps the query
}

func (h *Model) exportKey(k tea.KeyPressMsg) tea.Cmd {
	var format transcripts.Format
	switch {
	case k.Text == "m":
		format = transcripts.FormatMarkdown
	case k.Text == "j":
		format = transcripts.FormatJSON
	case k.Text == "l":
		format = transcripts.FormatJSONLines
	case key.Matches(k, h.keys.Back):
		h.dialog = dialogNone
		return nil
	default:
		return nil
	}
	h.dialog = dialogNone
	want := h.exportPath(h.exportIDs, format)
	st, ids := h.store, h.exportIDs
	return func() tea.Msg {
		// The folder is made absolute here: it asks the system for the
		// working directory, which Update must not wait on.
		if abs, err := filepath.Abs(want); err == nil {
			want = abs
		}
		path, err := claimPath(want)
		if err != nil {
			return exportedMsg{path: want, err: err}
		}
		if err := st.ExportFile(path, format, ids...); err != nil {
			os.Remove(path) // the empty file claimPath made
			return exportedMsg{path: path, err: err}
		}
		msg := exportedMsg{path: path}
		if path != want {
			msg.kept = want
		}
		return msg
	}
}

// claimPath never lets an export overwrite a file: it creates path, or
// when a file of that name exists, name-2.ext, name-3.ext and so on,
// empty and exclusively (so two exports at once never pick the same
// name), and returns the name it got. The export then replaces that empty
// file atomically.
func claimPath(path string) (string, error) {
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for n := 1; n <= 1000; n++ {
		p := path
		if n > 1 {
			p = fmt.Sprintf("%s-%d%s", base, n, ext)
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			return p, f.Close()
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("cannot write %s: %w", p, err)
		}
	}
	return "", fmt.Errorf("cannot write %s: it and 999 numbered names after it already exist", path)
}

// exportPath names an export file: tsunagu-ID.EXT for one conversation,
// tsunagu-export-STAMP-N.EXT for several, in ExportDir (the export command
// makes it absolute, so the notice tells the user exactly where it went).
func (h *Model) exportPath(ids []string, format transcripts.Format) string {
	var name string
	if len(ids) == 1 {
		name = "tsunagu-" + fileName(ids[0]) + "." + string(format)
	} else {
		name = fmt.Sprintf("tsunagu-export-%s-%d.%s", h.cfg.Clock.Now().Format("20060102-150405"), len(ids), format)
	}
	dir := h.cfg.ExportDir
	if dir == "" {
		dir = "."
	}
	return filepath.Join(dir, name)
}

// fileName keeps letters, digits, dot, dash and underscore.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// View is the standalone program's frame, in the alternate screen.
func (h *Model) View() tea.View {
	v := tea.NewView(h.Frame())
	v.AltScreen = true
	v.WindowTitle = h.text.Title
	return v
}

// Frame renders the whole screen: exactly the terminal's size at most, no
// line wider than it.
func (h *Model) Frame() string {
	if h.width < common.MinWidth || h.height < common.MinHeight {
		if h.width <= 0 || h.height <= 0 {
			return ""
		}
		return ansi.Truncate(h.ct.TooSmall, h.width, "")
	}
	title := h.st.Title.Render(h.text.Title)
	if h.readOnly != "" {
		title += "  " + h.st.Notice.Render(fmt.Sprintf(h.text.ReadOnly, h.readOnly))
	}
	var body string
	switch {
	case h.openErr != nil:
		body = h.openErrorView()
	case !h.opened:
		body = h.st.Muted.Render(h.text.Opening)
	case h.screen == screenConversation:
		body = h.conv.View()
	default:
		body = h.list.View()
	}
	bh := h.bodyHeight()
	if d := h.dialogView(); d != "" {
		body = overlay(components.FitHeight(body, bh), d, bh)
	}
	rows := []string{title, components.FitHeight(body, bh)}
	st := h.st.Good
	if h.noticeBad {
		st = h.st.Bad
	}
	for _, l := range h.noticeLines() {
		rows = append(rows, st.Render(l))
	}
	rows = append(rows, h.helpView())
	return components.Fit(strings.Join(rows, "\n"), h.width, h.height)
}

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

func (h *Model) openErrorView() string {
	err := h.openErr
	var text string
	var corrupt *transcripts.CorruptError
	switch {
	case errors.Is(err, transcripts.ErrInUse):
		text = fmt.Sprintf(h.text.InUse, common.OneLine(err))
	case errors.As(err, &corrupt):
		text = fmt.Sprintf(h.text.Corrupt, common.OneLine(err))
	default:
		text = fmt.Sprintf(h.text.OpenFailed, common.OneLine(err))
	}
	text = termsafe.Line(text)
	return h.st.Bad.Render(strings.Join(components.WrapText(text, h.width), "\n")) + "\n\n" + h.st.Muted.Render(h.text.RetryHint)
}

func (h *Model) dialogView() string {
	w := h.width
	switch h.dialog {
	case dialogFilter:
		return h.form.View()
	case dialogExport:
		return dialogBox(h.st, w, []string{h.st.Header.Render(fmt.Sprintf(h.text.ExportTitle, len(h.exportIDs))), h.text.ExportHint})
	case dialogDelete:
		r := h.deleteRow
		lines := []string{h.st.Bad.Render(h.text.DeleteTitle),
			fmt.Sprintf(h.text.DeleteAsk, termsafe.Line(r.ID), r.StartedAt.In(r.Location()).Format("2006-01-02 15:04"), termsafe.Line(r.Topic)),
			termsafe.Line(previewLine(r.Preview)), h.text.DeleteNote}
		if h.deleting {
			lines = append(lines, h.st.Notice.Render(h.text.Deleting))
		} else {
			lines = append(lines, h.st.Header.Render(h.text.DeleteHint))
		}
		return dialogBox(h.st, w, lines)
	}
	return ""
}

// dialogBox draws lines (wrapped) in a bordered box as wide as the screen.
// Plain lines wrap as the chat's transcript does (UAX #14, so Japanese
// breaks between characters); styled ones word-wrap.
func dialogBox(st *common.Styles, width int, lines []string) string {
	inner := max(width-4, 1)
	var rows []string
	for _, l := range lines {
		rows = append(rows, wrapLine(l, inner)...)
	}
	return st.Panel.Width(width).Render(strings.Join(rows, "\n"))
}

func (h *Model) helpView() string {
	return common.HelpView(h.help, h.currentKeyMap(), h.fullHelp)
}

// currentKeyMap is the help of what has the keys: the store's error, a
// dialog, or the page shown.
func (h *Model) currentKeyMap() help.KeyMap {
	k := h.keys
	switch {
	case h.openErr != nil:
		return common.KeyMap{Short: []key.Binding{k.Retry, k.Back, k.Quit}}
	case !h.opened:
		return common.KeyMap{Short: []key.Binding{k.Back, k.Quit}}
	case h.dialog == dialogFilter:
		return &h.form
	case h.dialog != dialogNone:
		return common.KeyMap{Short: []key.Binding{k.Back, k.Quit}}
	case h.screen == screenConversation:
		return &h.conv
	}
	return &h.list
}

// emptyStore stands in for a store that does not exist yet.
type emptyStore struct{}

func (emptyStore) List(transcripts.Filter, string, int) (transcripts.Page, error) {
	return transcripts.Page{}, nil
}
func (emptyStore) Search(string, transcripts.Filter, int) (transcripts.SearchResult, error) {
	return transcripts.SearchResult{}, nil
}
func (emptyStore) Load(id string) (transcripts.Conversation, error) {
	return transcripts.Conversation{}, fmt.Errorf("%w: %s", transcripts.ErrNotFound, id)
}
func (emptyStore) Delete(id string) error { return fmt.Errorf("%w: %s", transcripts.ErrNotFound, id) }
func (emptyStore) ExportFile(string, transcripts.Format, ...string) error {
	return transcripts.ErrNotFound
}
func (emptyStore) ReadOnlyReason() error { return nil }

// Opener returns the standard Open for Config: it opens the
// store at path for writing (so delete works), within timeout. There is no
// store yet: an empty history, and no file is created. A store written by a
// newer tsunagu opens read-only. A store held by a running chat gives
// transcripts.ErrInUse after the timeout, never a hang; bbolt does not let
// a reader share the file with a writer, so there is no read-only fallback
// for that case. A damaged store is moved aside by the store itself and the
// error says where; retrying then starts an empty store.
func Opener(path string, timeout time.Duration, now func() time.Time) func() (Store, error) {
	return func() (Store, error) {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		opts := transcripts.Options{Timeout: timeout, Now: now}
		s, err := transcripts.Open(path, opts)
		if errors.Is(err, transcripts.ErrNewerSchema) {
			opts.ReadOnly = true
			s, err = transcripts.Open(path, opts)
		}
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}

// wrapLine wraps one line to width: plain text at UAX #14 opportunities
// like the chat (components.WrapText), styled text by words.
func wrapLine(l string, width int) []string {
	if strings.Contains(l, "\x1b") {
		return strings.Split(ansi.Wrap(l, width, ""), "\n")
	}
	return components.WrapText(l, width)
}
