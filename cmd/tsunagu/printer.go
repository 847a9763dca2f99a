package main

import (
	"fmt"
	"io"

	"tsunagu/transcripts"
)

// Everything tsunagu writes to standard output and standard error goes
// through one sanitising printer, termsafe.Writer, which run() puts around
// both: errors, lists, tables, help, plain-mode sessions, scorecards and
// exports alike. Whatever text a file, a stored conversation or an argument
// carries, no escape sequence, control character (but newline and tab) or
// bidi override reaches the terminal.
//
// The full-screen programs (chat, history browser, trainee) draw with
// escape sequences of their own and sanitise every text in their views;
// they alone get the raw writer, through rawWriter.

// rawWriter returns the writer under the sanitising printer.
func rawWriter(w io.Writer) io.Writer {
	if u, ok := w.(interface{ Unwrap() io.Writer }); ok {
		return u.Unwrap()
	}
	return w
}

// printSafeJSON prints v as one line of JSON in which every rune the
// printer would remove is written as a \uXXXX escape, so the JSON decodes
// to the same values after the printer.
func printSafeJSON(w io.Writer, v any) error {
	b, err := transcripts.SafeJSON(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
