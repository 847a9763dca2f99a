package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// fileChecker validates one kind of YAML file (rules, operators, scenarios).
// Each domain registers its own from its cmd file's init.
type fileChecker struct {
	// kind names the file kind in messages, e.g. "rules".
	kind string
	// topKey is a top-level mapping key that only this kind of file has; it is
	// how "rules check" tells the kinds apart.
	topKey string
	// check validates the file and returns every problem found, each already
	// formatted as "NAME:LINE: message". A nil or empty result means valid.
	check func(name string, data []byte) []string
}

var fileCheckers []fileChecker

func init() { subcommands = append(subcommands, newRulesCmd) }

func newRulesCmd(g *globalOptions) *cobra.Command {
	rules := &cobra.Command{
		Use:   "rules",
		Short: "Work with rules, operator pool and scenario files",
	}
	check := &cobra.Command{
		Use:   "check FILE...",
		Short: "Validate rules, operator pool or scenario files and report problems with line numbers",
		Long: `Validate YAML files before using them with --rules, --operators or --scenarios.
The kind of file is recognised from its top-level keys. Every problem is printed
as FILE:LINE: message. The exit code is 0 when every file is valid, 1 otherwise.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("rules check needs at least one FILE")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			checkRulesFile = g.rulesFile
			bad := 0
			for _, name := range args {
				problems := checkFile(name)
				for _, p := range problems {
					fmt.Fprintln(cmd.OutOrStdout(), p)
				}
				if len(problems) == 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "%s: ok\n", name)
				} else {
					bad++
				}
			}
			if bad > 0 {
				return fmt.Errorf("%d of %d files have problems", bad, len(args))
			}
			return nil
		},
	}
	rules.AddCommand(check)
	return rules
}

// checkFile reads one file and hands it to the checker whose top-level key it has.
func checkFile(name string) []string {
	data, err := os.ReadFile(name)
	if err != nil {
		return []string{fmt.Sprintf("%s: %s", name, readErrorText(err))}
	}
	var kinds []string
	for _, c := range fileCheckers {
		if hasTopKey(data, c.topKey) {
			return c.check(name, data)
		}
		kinds = append(kinds, fmt.Sprintf("%s (top-level %q)", c.kind, c.topKey))
	}
	return []string{fmt.Sprintf("%s:1: not a file kind tsunagu knows; expected one of: %s", name, strings.Join(kinds, ", "))}
}

// hasTopKey reports whether a line of data starts with "key:" at column 0. It
// is a cheap recogniser; the real parse, with line numbers, is the checker's.
func hasTopKey(data []byte, key string) bool {
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		if bytes.HasPrefix(line, []byte(key+":")) {
			return true
		}
	}
	return false
}

func readErrorText(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "no such file"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}
