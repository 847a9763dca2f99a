package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tsunagu/bot"
)

func init() { subcommands = append(subcommands, newBotCmd) }

func newBotCmd(g *globalOptions) *cobra.Command {
	var timing bool
	cmd := &cobra.Command{
		Use:   "bot",
		Short: "Run the first-line bot as a JSON Lines filter (for scripts and evaluation)",
		Long: `Read JSON Lines from standard input, one customer message per line:
  {"conversation":"c1","text":"where is my order?"}
and write one decision per line to standard output, before reading the next
line, so a script can hold a conversation. Lines with the same "conversation"
share dialogue state. A line that cannot be read gives {"error":"..."} and the
rest go on. --lang sets the language used until a message shows its own.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rules, err := loadBotRules(g.rulesFile)
			if err != nil {
				return err
			}
			e := bot.NewEngine(rules)
			if timing {
				fmt.Fprintf(cmd.ErrOrStderr(), "tsunagu: the rules were ready %.1f ms after the program started\n",
					float64(time.Since(mainStarted).Microseconds())/1000)
			}
			return runBotFilter(e, g.language(), cmd.InOrStdin(), cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&timing, "timing", false, "print to stderr how long after the start the rules were ready")
	return cmd
}

// loadBotRules returns the rules of --rules, or the embedded default.
func loadBotRules(file string) (*bot.Rules, error) {
	if file == "" {
		return bot.DefaultRules(), nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read the rules file %s: %s", file, readErrorText(err))
	}
	r, err := bot.LoadRules(file, data)
	if err != nil {
		// The full list goes with the error; its first line is the summary.
		return nil, fmt.Errorf("the rules file has problems (run 'tsunagu rules check %s' for all): %s", file, strings.SplitN(err.Error(), "\n", 2)[0])
	}
	return r, nil
}

// maxBotLine caps one input line; a longer line is answered with an error
// and skipped, so one runaway line cannot exhaust memory.
const maxBotLine = 1 << 20

type botInput struct {
	Conversation *string `json:"conversation"`
	Text         *string `json:"text"`
}

type botError struct {
	Error string `json:"error"`
	Line  int    `json:"line"`
}

// runBotFilter answers each input line before reading the next.
func runBotFilter(e *bot.Engine, lang string, in io.Reader, out io.Writer) error {
	r := bufio.NewReaderSize(in, 64<<10)
	w := bufio.NewWriter(out)
	convs := map[string]*bot.Conversation{}
	for n := 1; ; n++ {
		line, tooLong, err := readLine(r, maxBotLine)
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("cannot read standard input: %v", err)
		}
		if len(line) == 0 && !tooLong && errors.Is(err, io.EOF) {
			return w.Flush()
		}
		var v any
		switch msg, problem := parseBotLine(line, tooLong); {
		case problem != "":
			v = botError{Error: problem, Line: n}
		default:
			c := convs[*msg.Conversation]
			if c == nil {
				c = e.NewConversation(*msg.Conversation, bot.Facts{Lang: lang, SignedIn: true})
				convs[*msg.Conversation] = c
			}
			v = c.Respond(*msg.Text)
		}
		if werr := printSafeJSON(w, v); werr != nil {
			return fmt.Errorf("cannot write standard output: %v", werr)
		}
		if werr := w.Flush(); werr != nil {
			return fmt.Errorf("cannot write standard output: %v", werr)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

func parseBotLine(line []byte, tooLong bool) (botInput, string) {
	var msg botInput
	if tooLong {
		return msg, fmt.Sprintf("line is longer than %d bytes", maxBotLine)
	}
	if err := json.Unmarshal(line, &msg); err != nil {
		return msg, "line is not a JSON object like {\"conversation\":\"c1\",\"text\":\"...\"}"
	}
	if msg.Text == nil {
		return msg, "line has no \"text\" field"
	}
	if msg.Conversation == nil {
		empty := ""
		msg.Conversation = &empty
	}
	return msg, ""
}

// readLine reads one line without its newline. A line longer than limit is
// consumed and reported as tooLong.
func readLine(r *bufio.Reader, limit int) (line []byte, tooLong bool, err error) {
	for {
		chunk, isPrefix, err := r.ReadLine()
		if !tooLong {
			line = append(line, chunk...)
			if len(line) > limit {
				tooLong, line = true, nil
			}
		}
		if err != nil {
			return line, tooLong, err
		}
		if !isPrefix {
			return line, tooLong, nil
		}
	}
}
