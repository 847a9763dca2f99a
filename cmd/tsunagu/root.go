package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"tsunagu/bot/profile"
	"tsunagu/handoff"

	"github.com/spf13/cobra"
)

// globalOptions holds the flags of the product contract that every subcommand shares.
type globalOptions struct {
	dbPath        string
	lang          string
	rulesFile     string
	operatorsFile string
	profileFile   string
	clock         string
	speed         float64
	seed          int64
}

// poolAndStart loads the operator pool (--operators) and the simulated
// start time (--clock, else now) in the pool's time zone: what every
// command that runs operators starts from. A bad operators file is a usage
// problem for the interactive commands that call this.
func (g *globalOptions) poolAndStart() (*handoff.Pool, time.Time, error) {
	pool, err := loadPool(g.operatorsFile)
	if err != nil {
		return nil, time.Time{}, &usageError{msg: err.Error()}
	}
	start, err := g.startTime()
	if err != nil {
		return nil, time.Time{}, err
	}
	if start.IsZero() {
		start = time.Now()
	}
	return pool, start.In(pool.Location), nil
}

// profile loads --profile, or the built-in demo customer.
func (g *globalOptions) customerProfile() (*profile.Profile, error) {
	if g.profileFile == "" {
		return profile.Demo(), nil
	}
	data, err := os.ReadFile(g.profileFile)
	if err != nil {
		return nil, usageErrorf("cannot read the profile file %s: %s", g.profileFile, readErrorText(err))
	}
	prof, err := profile.Load(g.profileFile, data)
	if err != nil {
		return nil, usageErrorf("%s", err.Error())
	}
	return prof, nil
}

// startTime parses --clock, or returns the zero time when it is unset.
func (g *globalOptions) startTime() (time.Time, error) {
	if g.clock == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, g.clock)
	if err != nil {
		return time.Time{}, usageErrorf("--clock wants an RFC 3339 time such as 2026-11-26T10:00:00+09:00, not %q", g.clock)
	}
	return t, nil
}

// language resolves --lang, falling back to LANG, then to English.
func (g *globalOptions) language() string {
	if g.lang != "" {
		return g.lang
	}
	return langFromEnv(os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG"))
}

// langFromEnv picks ja when the first non-empty locale variable is Japanese.
func langFromEnv(vars ...string) string {
	for _, v := range vars {
		if v == "" {
			continue
		}
		if strings.HasPrefix(strings.ToLower(v), "ja") {
			return "ja"
		}
		return "en"
	}
	return "en"
}

// defaultDBPath follows the product contract: $XDG_DATA_HOME/tsunagu/tsunagu.db, or
// ~/.local/share/tsunagu/tsunagu.db.
func defaultDBPath() string {
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "tsunagu", "tsunagu.db")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return filepath.Join(".", "tsunagu.db")
	}
	return filepath.Join(home, ".local", "share", "tsunagu", "tsunagu.db")
}

// usageError marks errors that must exit with code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// oneSentence flattens an error onto one line.
func oneSentence(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if s == "" {
		return "unknown error."
	}
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "tsunagu",
		Short: "Terminal support chat: a first-line bot, simulated operators and a history you can search",
		Long: `tsunagu (つなぐ, "to connect") is a terminal support chat. A rule-based bot answers
first, asks when unsure, and hands complex, sensitive or angry cases to simulated
human operators who receive the whole conversation, so nobody repeats themselves.
Every conversation is stored in one local file and can be searched and exported.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if g.lang != "" && g.lang != "ja" && g.lang != "en" {
				return usageErrorf("--lang must be ja or en, not %q", g.lang)
			}
			if g.speed <= 0 {
				return usageErrorf("--speed must be greater than 0, not %v", g.speed)
			}
			if _, err := g.startTime(); err != nil {
				return err
			}
			return nil
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{msg: err.Error()}
	})

	pf := root.PersistentFlags()
	pf.StringVar(&g.dbPath, "db", defaultDBPath(), "conversation store (bbolt file)")
	pf.StringVar(&g.lang, "lang", "", "interface and bot language: ja or en (default from LANG)")
	pf.StringVar(&g.rulesFile, "rules", "", "rules file replacing the built-in rules (YAML)")
	pf.StringVar(&g.operatorsFile, "operators", "", "operator pool file replacing the built-in pool (YAML)")
	pf.StringVar(&g.profileFile, "profile", "", "customer profile file replacing the built-in demo customer (YAML); used by the chat")
	pf.StringVar(&g.clock, "clock", "", "simulated start time, RFC 3339 (default: now)")
	pf.Float64Var(&g.speed, "speed", 1, "simulated time runs this many times faster than real time")
	pf.Int64Var(&g.seed, "seed", 1, "seed for every random choice, so runs repeat exactly")

	for _, add := range subcommands {
		root.AddCommand(add(g))
	}
	// Unknown subcommands and bad arguments are usage errors (exit 2).
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usageErrorf("unknown command %q; run 'tsunagu --help' for the list", args[0])
		}
		return nil
	}
	if defaultRun != nil {
		root.RunE = defaultRun(g)
	} else {
		root.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
	}
	return root
}

// subcommands lists the constructors of the registered subcommands. Each
// subcommand lives in its own file and appends itself here from init.
var subcommands []func(*globalOptions) *cobra.Command

// defaultRun, when set by the chat subcommand's file, is what bare "tsunagu"
// runs. Until then bare "tsunagu" prints help.
var defaultRun func(*globalOptions) func(*cobra.Command, []string) error
