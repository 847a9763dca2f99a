package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/transcripts"
)

// `tsunagu chat --jsonl`: the whole customer conversation
// without a terminal, on the same engine as the app, in simulated time.

// Simulated time after each input line runs until the conversation waits
// for the customer, at most settleLimit, in steps of settleStep.
const (
	settleLimit = 15 * time.Minute
	settleStep  = time.Second
)

// jsonlStart is what the contact flow would have collected.
type jsonlStart struct {
	Account *bool  `json:"account"`
	Order   string `json:"order"`
	Topic   string `json:"topic"`
}

type jsonlRating struct {
	Bot      int `json:"bot"`
	Operator int `json:"operator"`
}

// jsonlInput is one input line; exactly one of its actions is set.
type jsonlInput struct {
	Conversation *string      `json:"conversation"`
	Start        *jsonlStart  `json:"start"`
	Text         *string      `json:"text"`
	Choose       *string      `json:"choose"`
	Wait         *string      `json:"wait"`
	Callback     *string      `json:"callback"`
	Close        *bool        `json:"close"`
	Rating       *jsonlRating `json:"rating"`
}

// jsonlEvent is one output line. Fields a kind does not use are left out.
type jsonlEvent struct {
	Conversation string            `json:"conversation"`
	ID           string            `json:"id,omitempty"` // the stored conversation's id, for `history show`
	At           string            `json:"at"`
	Kind         chat.Kind         `json:"kind"`
	Text         *string           `json:"text,omitempty"`
	Action       string            `json:"action,omitempty"`
	Reason       *string           `json:"reason,omitempty"`
	Intent       *string           `json:"intent,omitempty"`
	FirstWaitS   *int              `json:"first_wait_s,omitempty"`
	NativeWaitS  *int              `json:"native_wait_s,omitempty"`
	Position     int               `json:"position,omitempty"`
	WaitS        *int              `json:"wait_s,omitempty"`
	Operator     string            `json:"operator,omitempty"`
	Name         string            `json:"name,omitempty"`
	Languages    map[string]string `json:"languages,omitempty"`
	Handover     *bool             `json:"handover,omitempty"`
	Cause        string            `json:"cause,omitempty"`
	Phone        string            `json:"phone,omitempty"`
	AtSlot       string            `json:"at_slot,omitempty"`
	Issues       *[]jsonlIssue     `json:"issues,omitempty"`
}

type jsonlIssue struct {
	Intent string            `json:"intent"`
	Status chat.IssueStatus  `json:"status"`
	Text   string            `json:"text,omitempty"`
	Facts  map[string]string `json:"facts,omitempty"`
}

// jsonlRunner holds the conversations of one input stream.
type jsonlRunner struct {
	cfg   chat.Config
	clock *handoff.VirtualClock
	convs map[string]*chat.Conversation
	order []string // conversations in the order they started
	w     *bufio.Writer
	// recoveryDir receives what the store would not take at the end.
	recoveryDir string
}

// runChatJSONL reads input lines and writes events, flushing after each
// line, until in ends. Conversations left open are stored as abandoned, as
// the app does on quit.
func runChatJSONL(cfg chat.Config, clock *handoff.VirtualClock, recoveryDir string, in io.Reader, out io.Writer) error {
	w := bufio.NewWriter(out)
	r := &jsonlRunner{cfg: cfg, clock: clock, convs: map[string]*chat.Conversation{}, w: w, recoveryDir: recoveryDir}
	br := bufio.NewReaderSize(in, 64<<10)
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br, maxBotLine)
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("cannot read standard input: %v", err)
		}
		eof := errors.Is(err, io.EOF)
		if len(bytes.TrimSpace(line)) > 0 || tooLong {
			if problem := r.line(line, tooLong); problem != "" {
				if err := r.write(botError{Error: problem, Line: n}); err != nil {
					return err
				}
			}
			if err := r.w.Flush(); err != nil {
				return fmt.Errorf("cannot write standard output: %v", err)
			}
		}
		if eof {
			return r.finish()
		}
	}
}

// finish abandons what is still open and makes sure every write is
// stored; what the store will not take goes to a recovery file that
// `history import` reads, and the error says where.
func (r *jsonlRunner) finish() error {
	var unsaved []transcripts.Conversation
	entries, lost := 0, 0
	var last error
	for _, key := range r.order {
		c := r.convs[key]
		res := c.Abandon()
		for try := 0; try < 3 && c.State().Pending > 0; try++ {
			res = mergeResults(res, c.Retry())
		}
		if err := r.emit(key, c, res); err != nil {
			return err
		}
		st := c.State()
		lost += st.Lost
		if st.StoreError != nil {
			last = st.StoreError
		}
		if conv, ok := c.Unsaved(); ok {
			unsaved = append(unsaved, conv)
			entries += len(conv.Entries)
		}
	}
	if err := r.w.Flush(); err != nil {
		return fmt.Errorf("cannot write standard output: %v", err)
	}
	if len(unsaved) > 0 {
		path, err := transcripts.WriteRecoveryFile(r.recoveryDir, r.clock.Now(), unsaved...)
		if err != nil {
			return fmt.Errorf("%d conversation entries could not be stored (%v), nor written to a recovery file: %v", entries, last, err)
		}
		return fmt.Errorf("%d conversation entries could not be stored (%v); they are in %s: run 'tsunagu history import %s' once the store works", entries, last, path, path)
	}
	if lost > 0 {
		return fmt.Errorf("%d conversation entries were refused by the store: %v", lost, last)
	}
	return nil
}

func mergeResults(a, b chat.Result) chat.Result {
	a.Events = append(a.Events, b.Events...)
	a.Saves = append(a.Saves, b.Saves...)
	return a
}

// line handles one input line and returns a problem to report, or "".
func (r *jsonlRunner) line(raw []byte, tooLong bool) string {
	if tooLong {
		return fmt.Sprintf("line is longer than %d bytes", maxBotLine)
	}
	var in jsonlInput
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return "line is not a JSON object like {\"conversation\":\"c1\",\"text\":\"...\"}: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	if dec.More() {
		return "line holds more than one JSON value"
	}
	if in.Conversation == nil {
		return "line has no \"conversation\" field"
	}
	key := *in.Conversation
	actions := 0
	for _, set := range []bool{in.Start != nil, in.Text != nil, in.Choose != nil, in.Wait != nil, in.Callback != nil, in.Close != nil} {
		if set {
			actions++
		}
	}
	switch {
	case actions == 0:
		return "line says nothing to do: give one of start, text, choose, wait, callback or close"
	case actions > 1:
		return "line gives more than one of start, text, choose, wait, callback and close"
	case in.Rating != nil && in.Close == nil:
		return "\"rating\" goes with \"close\""
	}
	c := r.convs[key]
	if in.Start != nil {
		if c != nil {
			return fmt.Sprintf("conversation %q has already started; \"start\" must be its first line", key)
		}
		ct, problem := r.contact(*in.Start)
		if problem != "" {
			return problem
		}
		c = r.begin(key, ct)
		return r.emitErr(key, c, c.StartChat(), true)
	}
	if c == nil {
		c = r.begin(key, chat.Contact{SignedIn: true})
		if err := r.emit(key, c, c.StartChat()); err != nil {
			return err.Error()
		}
	}
	st := c.State()
	if st.Closed {
		return fmt.Sprintf("conversation %q is closed", key)
	}
	switch {
	case in.Text != nil:
		if strings.TrimSpace(*in.Text) == "" {
			return "\"text\" is empty"
		}
		res := c.Send(*in.Text) // while the choice is open, the text joins the packet
		if st.Choosing {
			res = mergeResults(res, c.Choose(false)) // and the first available answers
		}
		return r.emitErr(key, c, res, true)
	case in.Choose != nil:
		if !st.Choosing {
			return fmt.Sprintf("conversation %q is not being asked who should answer", key)
		}
		switch *in.Choose {
		case "first", "native":
			return r.emitErr(key, c, c.Choose(*in.Choose == "native"), true)
		}
		return fmt.Sprintf("\"choose\" is \"first\" or \"native\", not %q", *in.Choose)
	case in.Wait != nil:
		d, err := time.ParseDuration(*in.Wait)
		if err != nil || d <= 0 || d > 24*time.Hour {
			return fmt.Sprintf("\"wait\" is a duration such as \"90s\" or \"5m\" (at most 24h), not %q", *in.Wait)
		}
		res := chat.Result{}
		if st.Choosing {
			res = c.Choose(false)
		}
		res = mergeResults(res, c.Pass(d, settleStep, r.tick))
		return r.emitErr(key, c, res, true)
	case in.Callback != nil:
		res, err := c.Book(*in.Callback)
		if err != nil {
			return "callback: " + err.Error()
		}
		return r.emitErr(key, c, res, false)
	default:
		if !*in.Close {
			return "\"close\" must be true"
		}
		var rt jsonlRating
		if in.Rating != nil {
			rt = *in.Rating
		}
		for _, v := range []int{rt.Bot, rt.Operator} {
			if v < 0 || v > 5 {
				return "ratings are 1 to 5 (0 or absent: not rated)"
			}
		}
		return r.emitErr(key, c, c.Close(rt.Bot, rt.Operator), false)
	}
}

// contact turns a start line into the contact flow's facts.
func (r *jsonlRunner) contact(s jsonlStart) (chat.Contact, string) {
	ct := chat.Contact{SignedIn: s.Account == nil || *s.Account}
	prof := r.cfg.Profile
	if prof == nil {
		prof = profile.Demo()
	}
	if s.Order != "" {
		if !ct.SignedIn {
			return ct, "an order can only be given with \"account\": true"
		}
		for i := range prof.Orders {
			if prof.Orders[i].ID == s.Order {
				o := prof.Orders[i]
				ct.Order = &o
			}
		}
		if ct.Order == nil {
			return ct, fmt.Sprintf("the customer has no order %q", s.Order)
		}
	}
	if s.Topic != "" {
		cat, sub, ok := strings.Cut(s.Topic, "/")
		if !ok {
			return ct, fmt.Sprintf("\"topic\" is CATEGORY/TOPIC from the rules' menu, not %q", s.Topic)
		}
		found := false
		for _, m := range r.cfg.Bot.Menu(r.cfg.Lang) {
			if m.ID != cat {
				continue
			}
			if !m.OfferedTo(ct.SignedIn, ct.Order != nil) {
				if m.NeedsAccount && !ct.SignedIn {
					return ct, fmt.Sprintf("topic %q needs a signed-in customer", s.Topic)
				}
				return ct, fmt.Sprintf("topic %q is about an order: give \"order\" too", s.Topic)
			}
			for _, t := range m.Topics {
				if t.ID == sub {
					ct.Category, ct.Topic, found = m, t, true
				}
			}
		}
		if !found {
			return ct, fmt.Sprintf("the rules' menu has no topic %q", s.Topic)
		}
	}
	return ct, ""
}

func (r *jsonlRunner) begin(key string, ct chat.Contact) *chat.Conversation {
	c := chat.New(r.cfg, ct)
	r.convs[key] = c
	r.order = append(r.order, key)
	return c
}

func (r *jsonlRunner) tick(d time.Duration) { r.clock.Advance(d) }

// emitErr writes res, then (when settle) lets simulated time run until the
// conversation waits for the customer, and writes what happened meanwhile.
func (r *jsonlRunner) emitErr(key string, c *chat.Conversation, res chat.Result, settle bool) string {
	if settle {
		res = mergeResults(res, c.Settle(settleLimit, settleStep, r.tick))
	}
	if err := r.emit(key, c, res); err != nil {
		return err.Error()
	}
	return ""
}

// emit writes the events of res that the product contract defines.
func (r *jsonlRunner) emit(key string, c *chat.Conversation, res chat.Result) error {
	id := c.ID()
	for _, ev := range res.Events {
		out := jsonlEvent{Conversation: key, ID: id, At: ev.At.Format(time.RFC3339), Kind: ev.Kind}
		switch ev.Kind {
		case chat.KindCustomer:
			out.Text = &ev.Text
		case chat.KindBot:
			d := ev.Decision
			reason, intent := string(d.Reason), d.Intent
			out.Text, out.Action, out.Reason, out.Intent = &ev.Text, string(d.Action), &reason, &intent
		case chat.KindChoice:
			first, native := seconds(ev.Quote.FirstAvailable), seconds(ev.Quote.NativeOnly)
			out.FirstWaitS, out.NativeWaitS = &first, &native
		case chat.KindQueue:
			wait := seconds(ev.Wait)
			out.Position, out.WaitS = ev.Position, &wait
		case chat.KindJoined:
			handover := ev.Handover
			out.Operator, out.Name, out.Languages, out.Handover = ev.Operator.ID, ev.Operator.Name, ev.Operator.Languages, &handover
		case chat.KindOperator:
			out.Operator, out.Text = ev.Operator.ID, &ev.Text
		case chat.KindLeft:
			out.Operator, out.Cause = ev.Operator.ID, string(ev.Cause)
		case chat.KindOfferClose:
			out.Operator = ev.Operator.ID
		case chat.KindCallback:
			out.Phone, out.AtSlot = ev.Booking.Display, ev.Booking.At.Format(time.RFC3339)
		case chat.KindClosed:
		case chat.KindCase:
			issues := make([]jsonlIssue, 0, len(ev.Issues))
			for _, is := range ev.Issues {
				issues = append(issues, jsonlIssue{Intent: is.Intent, Status: is.Status, Text: is.Text, Facts: is.Facts})
			}
			out.Issues = &issues
		default:
			continue // shown on screen only (typing, escalated, resumed)
		}
		if err := r.write(out); err != nil {
			return err
		}
	}
	return nil
}

// write prints v as one JSON line whose terminal-unsafe runes are \u
// escapes, so it decodes to the same values after the sanitising printer
// (printer.go).
func (r *jsonlRunner) write(v any) error {
	if err := printSafeJSON(r.w, v); err != nil {
		return fmt.Errorf("cannot write standard output: %v", err)
	}
	return nil
}

// seconds rounds a wait to whole seconds; an unbounded wait (no native
// speaker in the pool at all) is -1.
func seconds(d time.Duration) int {
	if d >= time.Duration(1<<62) {
		return -1
	}
	return int((d + time.Second/2) / time.Second)
}

// runChatJSONLCmd wires `tsunagu chat --jsonl` from the flags.
func runChatJSONLCmd(cmd *cobra.Command, g *globalOptions) error {
	prof, err := g.customerProfile()
	if err != nil {
		return err
	}
	pool, start, err := g.poolAndStart()
	if err != nil {
		return err
	}
	rules, err := loadBotRules(g.rulesFile)
	if err != nil {
		return err
	}
	st, err := transcripts.Open(g.dbPath, transcripts.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	defer st.Close()
	clock := handoff.NewVirtualClock(start)
	b := chat.NewBot(bot.NewEngine(rules))
	seed := uint64(g.seed)
	// One source names every conversation of the run, so they differ from
	// each other and repeat for the same --seed and --clock.
	cfg := chat.Config{Lang: g.language(), Profile: prof, Clock: clock, Bot: b, Seed: seed, NewID: newIDFunc(g.seed),
		OpenStore: func() (chat.Store, error) { return st, nil },
		Callbacks: handoff.NewCallbacks(pool),
		NewDesk: func(string) (chat.Desk, error) {
			return handoff.NewDesk(handoff.DeskConfig{Pool: pool, Knowledge: b.Knowledge(), Start: clock.Now(), Seed: seed})
		}}
	if err := runChatJSONL(cfg, clock, filepath.Dir(g.dbPath), cmd.InOrStdin(), cmd.OutOrStdout()); err != nil {
		return err
	}
	return st.Close()
}
