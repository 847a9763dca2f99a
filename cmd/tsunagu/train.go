package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"tsunagu/bot"
	"tsunagu/bot/yamlfile"
	"tsunagu/handoff"
	"tsunagu/handoff/training"
	"tsunagu/transcripts"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/train"
)

func init() { subcommands = append(subcommands, newTrainCmd) }

// trainOptions are the flags of `tsunagu train`.
type trainOptions struct {
	scenario     string
	trainee      string
	scenariosDir string
	realtime     bool
	list         bool
	plain        bool
	markdown     string
	jsonOut      bool
}

func newTrainCmd(g *globalOptions) *cobra.Command {
	o := &trainOptions{}
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Trainee mode: take over chats from the bot with simulated customers, and get a scorecard",
		Long: `Play the operator. The bot handles the first line of a scenario, then hands
the chat over with its packet, and a simulated customer reacts to what you write.
Actions: reply, transfer to a team (security, billing, supervisor, native_japanese),
book a phone callback, or close. At the end you get a QA scorecard; it is stored
with your progress in the same file as the conversations (--db).

The clock is paused while you type unless --realtime is given. Without a
terminal, or with --plain, the session runs line by line on standard input:
a line is a reply; /transfer TEAM, /callback [PHONE], /wait SECONDS, /close.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := training.NewCatalog(o.scenariosDir)
			if err != nil {
				return usageErrorf("%s", err.Error())
			}
			if o.list {
				return listScenarios(cmd.OutOrStdout(), cat, g.language(), o.jsonOut)
			}
			sc, err := pickScenario(cat, o.scenario)
			if err != nil {
				return err
			}
			plain := o.plain || !isTerminalFile(cmd.InOrStdin()) || !isTerminalFile(cmd.OutOrStdout())
			if !plain {
				return runTrainTUI(cmd, g, o, cat, sc)
			}
			return runTrainPlain(cmd, g, o, sc)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.scenario, "scenario", "", "scenario id to play (see --list); default: the first")
	f.StringVar(&o.trainee, "trainee", defaultTrainee(), "your name, for the progress history")
	f.StringVar(&o.scenariosDir, "scenarios", "", "directory of scenario files (YAML) added to the built-in ones")
	f.BoolVar(&o.realtime, "realtime", false, "run the clock in real time (scaled by --speed) instead of pausing it while you type")
	f.BoolVar(&o.list, "list", false, "list the scenarios and exit")
	f.BoolVar(&o.plain, "plain", false, "line-by-line session on standard input, without the full-screen UI")
	f.StringVar(&o.markdown, "markdown", "", "also write the scorecard as Markdown to this file")
	f.BoolVar(&o.jsonOut, "json", false, "with --list: print JSON")
	cmd.AddCommand(newTrainHistoryCmd(g), newTrainExportCmd(g), newTrainReplayCmd(g), newTrainFromHistoryCmd(g), newTrainDrillCmd(g), newTrainImportCmd(g))
	return cmd
}

func defaultTrainee() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "trainee"
}

func isTerminalFile(v any) bool {
	if w, ok := v.(io.Writer); ok {
		v = rawWriter(w)
	}
	f, ok := v.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(f.Fd())
}

func pickScenario(cat *training.Catalog, id string) (*training.Scenario, error) {
	if id == "" {
		return cat.Scenarios[0], nil
	}
	sc, ok := cat.Find(id)
	if !ok {
		return nil, usageErrorf("there is no scenario %q; run 'tsunagu train --list'", id)
	}
	return sc, nil
}

func listScenarios(w io.Writer, cat *training.Catalog, lang string, asJSON bool) error {
	type row struct {
		ID        string   `json:"id"`
		Title     string   `json:"title"`
		Persona   string   `json:"persona"`
		Languages []string `json:"languages"`
		Source    string   `json:"source"`
	}
	var rows []row
	for _, s := range cat.Scenarios {
		rows = append(rows, row{s.ID, termsafe.Line(s.TitleIn(lang)), string(s.Persona), s.Languages, termsafe.Line(s.Source)})
	}
	if asJSON {
		return printSafeJSON(w, rows)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPERSONA\tLANG\tTITLE")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Persona, strings.Join(r.Languages, ","), r.Title)
	}
	return tw.Flush()
}

// trainKit is everything a session needs besides the scenario.
type trainKit struct {
	engine *bot.Engine
	kb     handoff.Knowledge
	pool   *handoff.Pool
	start  time.Time
	lang   string
}

// trainEngines keeps the bot engine trained for each rules file, so one
// process (and the test binary) trains it once: training is the slow part.
var trainEngines = struct {
	sync.Mutex
	byFile map[string]*bot.Engine
}{byFile: map[string]*bot.Engine{}}

func trainEngine(rulesFile string) (*bot.Engine, error) {
	trainEngines.Lock()
	defer trainEngines.Unlock()
	if e, ok := trainEngines.byFile[rulesFile]; ok {
		return e, nil
	}
	rules, err := loadBotRules(rulesFile)
	if err != nil {
		return nil, err
	}
	e := bot.NewEngine(rules)
	trainEngines.byFile[rulesFile] = e
	return e, nil
}

func loadTrainKit(g *globalOptions, sc *training.Scenario) (*trainKit, error) {
	engine, err := trainEngine(g.rulesFile)
	if err != nil {
		return nil, err
	}
	rules := engine.Rules()
	pool, start, err := g.poolAndStart()
	if err != nil {
		return nil, err
	}
	lang := g.language()
	if !sc.Plays(lang) {
		lang = sc.Languages[0]
	}
	return &trainKit{engine: engine, kb: handoff.NewRulesKnowledge(rules), pool: pool,
		start: start, lang: lang}, nil
}

// newSession starts a session: the bot stage is played before it returns.
func (k *trainKit) newSession(g *globalOptions, o *trainOptions, sc *training.Scenario) (*training.Session, error) {
	cfg := training.Config{Scenario: sc, Lang: k.lang, Seed: uint64(g.seed), Trainee: o.trainee, Start: k.start,
		Paused: !o.realtime, Bot: k.engine.NewConversation("training-"+sc.ID, sc.BotFacts(k.lang)),
		Knowledge: k.kb, Pool: k.pool, Rules: k.engine.Rules()}
	if o.realtime {
		cfg.Clock = handoff.NewScaledClock(sc.Start(k.start), g.speed, time.Now)
	}
	s, err := training.NewSession(cfg)
	if err != nil {
		return nil, err
	}
	return s, s.Start()
}

// saveScorecard stores the session's scorecard and writes the Markdown file
// when asked. It returns the stored session id.
func saveScorecard(g *globalOptions, o *trainOptions, card training.Scorecard) (uint64, error) {
	if o.markdown != "" {
		if err := os.WriteFile(o.markdown, []byte(card.Markdown()), 0o600); err != nil {
			return 0, fmt.Errorf("cannot write the Markdown scorecard to %s: %s", o.markdown, readErrorText(err))
		}
	}
	rec, err := card.Record()
	if err != nil {
		return 0, err
	}
	st, err := openTrainStore(g.dbPath)
	if err != nil {
		return 0, fmt.Errorf("the scorecard was not saved: %w", err)
	}
	defer st.Close()
	id, err := st.SaveTraining(rec)
	if err != nil {
		return 0, fmt.Errorf("the scorecard was not saved: %w", err)
	}
	return id, nil
}

// runTrainPlain plays a session line by line on standard input.
func runTrainPlain(cmd *cobra.Command, g *globalOptions, o *trainOptions, sc *training.Scenario) error {
	kit, err := loadTrainKit(g, sc)
	if err != nil {
		return err
	}
	in := bufio.NewReaderSize(cmd.InOrStdin(), 64<<10)
	if err := waitForTrainStorePlain(g, in, cmd.OutOrStdout(), kit.lang); err != nil {
		return err
	}
	s, err := kit.newSession(g, o, sc)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(cmd.OutOrStdout())
	defer out.Flush()
	lang := s.Lang()
	fmt.Fprintf(out, "== %s ==\n", termsafe.Line(sc.TitleIn(lang)))
	for _, l := range s.BotStage() {
		fmt.Fprintf(out, "[%s] %s: %s\n", l.At.Format("15:04:05"), l.Speaker, termsafe.Line(l.Text))
	}
	for _, l := range s.PacketLines() {
		fmt.Fprintln(out, termsafe.Line(l))
	}
	fmt.Fprintln(out, plainHelp(lang))
	out.Flush()
	printed := len(s.Lines())
	flushLines := func() {
		lines := s.Lines()
		for _, l := range lines[printed:] {
			if l.Speaker == training.SpeakerTrainee || l.Action == "wait" {
				continue
			}
			who := l.Speaker
			text := l.Text
			if l.Action != "" {
				who, text = "system", strings.TrimSuffix(l.Action+": "+l.Text, ": ")
			}
			fmt.Fprintf(out, "[%s] %s: %s", l.At.Format("15:04:05"), who, termsafe.Line(text))
			if l.Speaker == training.SpeakerCustomer {
				fmt.Fprintf(out, "  (mood %d)", l.Mood)
			}
			fmt.Fprintln(out)
		}
		printed = len(lines)
		out.Flush()
	}
	// While the session runs, Ctrl+C asks before ending it (the card is
	// scored and saved either way it ends).
	interrupts, stop := plainInterrupts()
	defer stop()
	done := make(chan struct{})
	defer close(done)
	lines := lineFeed(in, 8<<10, done)
	ended := goOn
	for s.Phase() == training.PhaseHuman && ended == goOn {
		var l plainLine
		select {
		case got, ok := <-lines:
			if l = got; !ok {
				l.err = io.EOF // the feed stopped: end of input
			}
		case <-interrupts:
			flushLines()
			if ended = askToEnd(out, lang, lines, interrupts); ended != goOn {
				s.Close()
			}
			continue
		}
		if l.tooLong {
			fmt.Fprintln(out, "!", "line too long; keep a reply under 8 KB")
			continue
		}
		text, err := strings.TrimSpace(l.text), l.err
		if text == "" && errors.Is(err, io.EOF) {
			// End of input: the trainee walked away; close the chat.
			s.Close()
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("cannot read standard input: %v", err)
		}
		if text != "" {
			if perr := plainAction(s, text); perr != nil {
				fmt.Fprintln(out, "!", perr.Error())
			}
			s.Tick()
		}
		flushLines()
		if errors.Is(err, io.EOF) && s.Phase() == training.PhaseHuman {
			s.Close()
		}
	}
	if ended == endNow {
		fmt.Fprintln(out, say(lang, "Session ended (Ctrl+C twice); the scorecard is saved.", "セッションを終了しました（Ctrl+C 2 回）。スコアカードを保存します。"))
	}
	flushLines()
	card := s.Scorecard()
	fmt.Fprint(out, training.ScorecardText(card))
	out.Flush()
	answer := func() (string, error) {
		select {
		case <-interrupts:
			return "", errInterrupted
		case l, ok := <-lines:
			if !ok {
				return "", io.EOF
			}
			return l.text, l.err
		}
	}
	id, err := saveOrKeepPlain(g, o, card, answer, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s %d\n", map[bool]string{true: "保存しました。セッション", false: "Saved as session"}[lang == "ja"], id)
	return nil
}

func plainHelp(lang string) string {
	if lang == "ja" {
		return "-- 返信を入力して Enter。/transfer security|billing|supervisor|native_japanese、/callback [電話番号]、/wait 秒、/close --"
	}
	return "-- Type a reply and press Enter. /transfer security|billing|supervisor|native_japanese, /callback [PHONE], /wait SECONDS, /close --"
}

// plainAction runs one input line: a reply or a /command.
func plainAction(s *training.Session, text string) error {
	if !strings.HasPrefix(text, "/") {
		_, err := s.Reply(text)
		return err
	}
	name, arg, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case "transfer":
		_, err := s.Transfer(training.Team(arg))
		return err
	case "callback":
		_, err := s.BookCallback(arg)
		return err
	case "wait":
		secs, err := strconv.Atoi(arg)
		if err != nil || secs <= 0 || secs > 3600 {
			return fmt.Errorf("/wait needs a number of seconds between 1 and 3600")
		}
		s.Wait(time.Duration(secs) * time.Second)
		return nil
	case "close":
		return s.Close()
	}
	return fmt.Errorf("unknown command /%s; use /transfer, /callback, /wait or /close", name)
}

func newTrainFromHistoryCmd(g *globalOptions) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "from-history ID",
		Short: "Turn a stored conversation into a scenario file",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("train from-history needs one conversation ID (see 'tsunagu history list')")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := transcripts.Open(g.dbPath, transcripts.Options{Timeout: time.Second, ReadOnly: true})
			if err != nil {
				return err
			}
			defer st.Close()
			c, err := st.Load(args[0])
			if err != nil {
				return err
			}
			data, err := training.FromConversation(c)
			if err != nil {
				return err
			}
			if err := scenarioPlays(g, args[0], data); err != nil {
				return err
			}
			if output == "" || output == "-" {
				_, err = cmd.OutOrStdout().Write(data)
				return err
			}
			if err := os.WriteFile(output, data, 0o600); err != nil {
				return fmt.Errorf("cannot write %s: %s", output, readErrorText(err))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s\n", output)
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the scenario to this file instead of standard output")
	return cmd
}

func newTrainDrillCmd(g *globalOptions) *cobra.Command {
	var plain bool
	var trainee, file string
	var drill *training.Drill // the run, for saving its results
	cmd := &cobra.Command{
		Use:   "drill",
		Short: "Escalation drill: decide answer, clarify or escalate (and why) for customer messages",
		Long: `A quiz on the bot's escalation policy. For each customer message, type
  a            the bot should answer
  c            the bot should ask to clarify
  e REASON     the bot should escalate, with the reason: human_requested,
               sensitive, complaint, multi_issue, unresolved or no_progress
Each answer is scored against what the real bot decides, with an explanation.
In a terminal the drill is full-screen (keys a, c, e then 1-6); without one,
or with --plain, it reads answers line by line.
--file plays the items of a drill file instead of the built-in ones (the same
format: a top-level "drill:" list of items with id, text and optionally
before; check it with tsunagu rules check FILE).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			lang := g.language()
			items := training.DrillItems()
			if file != "" {
				var err error
				if items, err = loadDrillFile(file, lang, cmd.ErrOrStderr()); err != nil {
					return err
				}
			}
			// Training the bot is the slow part; in the full-screen drill it
			// runs as a command after the first frame.
			newDrill := func() (*training.Drill, error) {
				engine, err := trainEngine(g.rulesFile)
				if err != nil {
					return nil, err
				}
				d := training.NewDrill(items, lang, uint64(g.seed), func(id string) training.Bot {
					return engine.NewConversation(id, bot.Facts{Lang: lang, SignedIn: true})
				})
				d.SetRules(engine.Rules())
				drill = d
				return d, nil
			}
			if !plain && isTerminalFile(cmd.InOrStdin()) && isTerminalFile(cmd.OutOrStdout()) {
				p := tea.NewProgram(train.New(train.Config{Lang: lang, NewDrill: newDrill, NoColor: os.Getenv("NO_COLOR") != ""}),
					tea.WithInput(cmd.InOrStdin()), tea.WithOutput(rawWriter(cmd.OutOrStdout())))
				_, err := p.Run()
				return errors.Join(err, saveDrill(g, trainee, drill, cmd.OutOrStdout()))
			}
			d, err := newDrill()
			if err != nil {
				return err
			}
			if err := runDrill(d, lang, cmd.InOrStdin(), cmd.OutOrStdout()); err != nil {
				return err
			}
			return saveDrill(g, trainee, d, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&plain, "plain", false, "read answers line by line, without the full-screen UI")
	cmd.Flags().StringVar(&trainee, "trainee", defaultTrainee(), "your name, for the progress history")
	cmd.Flags().StringVar(&file, "file", "", "play the drill items of this YAML file instead of the built-in ones")
	return cmd
}

// loadDrillFile reads and validates a drill file; every problem is reported
// on w as FILE:LINE: message, one a line. A file with no item in lang is
// refused too.
func loadDrillFile(name, lang string, w io.Writer) ([]training.DrillItem, error) {
	data, err := readDrillFile(name)
	if err != nil {
		return nil, errors.New(say(lang, "cannot read the drill file ", "ドリルファイルを読めません：") + name + ": " + readErrorText(err))
	}
	items, err := training.LoadDrill(name, data)
	if err != nil {
		problems := yamlfile.Lines(name, err)
		for _, p := range problems {
			fmt.Fprintln(w, termsafe.Line(p))
		}
		return nil, fmt.Errorf(say(lang, "the drill file %s has %d problems", "ドリルファイル %s に問題が %d 件あります"), name, len(problems))
	}
	for _, it := range items {
		if strings.TrimSpace(it.Text.In(lang)) != "" {
			return items, nil
		}
	}
	return nil, fmt.Errorf("%s:1: %s", name, say(lang, "no drill item has a text in English (en)", "日本語（ja）の問題文を持つドリル項目がありません"))
}

// readDrillFile reads at most one byte over the loader's size cap, so a
// huge file is refused by the loader without being read whole.
func readDrillFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, yamlfile.MaxBytes+1))
}

func runDrill(d *training.Drill, lang string, in io.Reader, w io.Writer) error {
	r := bufio.NewReader(in)
	fmt.Fprint(w, drillIntro(lang))
	for {
		q, ok := d.Current()
		if !ok {
			break
		}
		fmt.Fprintf(w, "\n%d/%d  ", q.Number, d.Len())
		if len(q.Before) > 0 {
			// A multi-turn item: the chat so far, then the message to decide on.
			fmt.Fprintln(w, say(lang, "The chat so far:", "これまでのやり取り："))
			for _, b := range q.Before {
				fmt.Fprintf(w, "       %s %s\n       %s %s\n", say(lang, "customer:", "お客様："), termsafe.Line(b.Customer),
					say(lang, "bot:", "ボット："), termsafe.Line(b.Bot))
			}
			fmt.Fprintf(w, "       %s ", say(lang, "then:", "続けて："))
		}
		fmt.Fprintf(w, "%s\n> ", termsafe.Line(q.Text))
		line, _, err := readLine(r, 4<<10)
		text := strings.TrimSpace(string(line))
		if text == "" && err != nil {
			break
		}
		action, reason, perr := parseDrillAnswer(text, lang)
		if perr != nil {
			fmt.Fprintln(w, "!", perr.Error())
			continue
		}
		res, aerr := d.Answer(action, reason)
		if aerr != nil {
			fmt.Fprintln(w, "!", aerr.Error())
			continue
		}
		mark := map[bool]string{true: "✓", false: "✗"}[res.Points == res.MaxPoints]
		fmt.Fprintf(w, "%s %d/%d  %s\n", mark, res.Points, res.MaxPoints, res.Explanation)
	}
	p, m := d.Score()
	fmt.Fprintf(w, "\n%s %d/%d\n", say(lang, "Score", "得点"), p, m)
	return nil
}

// drillIntro says, in lang, how to answer the plain drill, with the
// numbered escalation reasons (the same numbers as the full-screen keys).
func drillIntro(lang string) string {
	var b strings.Builder
	b.WriteString(say(lang,
		"For each customer message, type a (the bot should answer), c (it should ask to clarify)\nor e and the reason (it should escalate), by number or name, e.g. e 3 or e complaint:\n",
		"お客様のメッセージごとに、a（ボットが回答する）、c（内容を確認する）、\ne と理由の番号（担当者に引き継ぐ）を入力してください。例：e 3\n"))
	for i, r := range training.Reasons {
		if lang == "ja" {
			fmt.Fprintf(&b, "  %d %s\n", i+1, training.ReasonLabel(r, lang))
		} else {
			fmt.Fprintf(&b, "  %d %-16s %s\n", i+1, r, training.ReasonLabel(r, lang))
		}
	}
	return b.String()
}

// parseDrillAnswer reads a plain drill answer: a, c, or e with a reason
// given by number (1-6, as listed in the intro) or by name. Errors are in lang.
func parseDrillAnswer(s, lang string) (bot.Action, bot.Reason, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return "", "", errors.New(say(lang, "type a, c or e REASON", "a、c、または e と理由の番号を入力してください"))
	}
	switch strings.ToLower(f[0]) {
	case "a", "answer":
		return bot.ActionAnswer, "", nil
	case "c", "clarify":
		return bot.ActionClarify, "", nil
	case "e", "escalate":
		if len(f) < 2 {
			return "", "", errors.New(say(lang, "an escalation needs a reason, e.g. 'e complaint' or 'e 3'", "エスカレーションには理由が必要です。例：e 3"))
		}
		if n, err := strconv.Atoi(f[1]); err == nil {
			if n < 1 || n > len(training.Reasons) {
				return "", "", fmt.Errorf(say(lang, "the reason number must be 1 to %d", "理由の番号は 1〜%d です"), len(training.Reasons))
			}
			return bot.ActionEscalate, training.Reasons[n-1], nil
		}
		return bot.ActionEscalate, bot.Reason(f[1]), nil
	}
	if lang == "ja" {
		return "", "", fmt.Errorf("「%s」は a、c、e のどれでもありません", termsafe.Line(f[0]))
	}
	return "", "", fmt.Errorf("%q is not a, c or e REASON", f[0])
}

// runTrainTUI opens the full-screen trainee app.
func runTrainTUI(cmd *cobra.Command, g *globalOptions, o *trainOptions, cat *training.Catalog, preset *training.Scenario) error {
	var kit *trainKit
	cfg := train.Config{
		Lang:      g.language(),
		Scenarios: cat.Scenarios,
		Realtime:  o.realtime,
		NoColor:   os.Getenv("NO_COLOR") != "",
		NewSession: func(sc *training.Scenario) (*training.Session, error) {
			if kit == nil {
				k, err := loadTrainKit(g, sc)
				if err != nil {
					return nil, err
				}
				kit = k
			}
			kit.lang = g.language()
			if !sc.Plays(kit.lang) {
				kit.lang = sc.Languages[0]
			}
			return kit.newSession(g, o, sc)
		},
		CheckStore: func() error { _, err := checkTrainStore(g); return err },
		Save: func(card training.Scorecard) (string, error) {
			id, err := saveScorecard(g, o, card)
			if err != nil {
				return "", err
			}
			if card.Lang == "ja" {
				return fmt.Sprintf("セッション %d として保存しました（tsunagu train export %d で Markdown 出力）", id, id), nil
			}
			return fmt.Sprintf("Saved as session %d (Markdown: tsunagu train export %d)", id, id), nil
		},
	}
	if o.scenario != "" {
		cfg.Scenario = preset
	}
	m := train.New(cfg)
	p := tea.NewProgram(m, tea.WithInput(cmd.InOrStdin()), tea.WithOutput(rawWriter(cmd.OutOrStdout())))
	_, err := p.Run()
	if cards := m.Unsaved(); len(cards) > 0 {
		return errors.Join(err, keepUnsaved(g, cards, errors.New("the scorecard could not be saved")))
	}
	return err
}
