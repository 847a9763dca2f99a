package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

// plainInterrupts delivers Ctrl+C to a plain session while it runs; the
// returned func stops the delivery. Tests replace it with a channel they feed.
var plainInterrupts = func() (<-chan os.Signal, func()) {
	c := make(chan os.Signal, 2)
	signal.Notify(c, os.Interrupt)
	return c, func() { signal.Stop(c) }
}

// errInterrupted is the answer read when Ctrl+C comes instead of a line.
var errInterrupted = errors.New("interrupted")

// plainLine is one line of standard input.
type plainLine struct {
	text    string
	tooLong bool
	err     error
}

// lineFeed reads lines from r in its own goroutine, so a session can wait for
// a line and for Ctrl+C at once. It stops after the first read error or when
// done is closed; every line read goes out on the channel, in order.
func lineFeed(r *bufio.Reader, limit int, done <-chan struct{}) <-chan plainLine {
	c := make(chan plainLine)
	go func() {
		defer close(c)
		for {
			line, tooLong, err := readLine(r, limit)
			select {
			case c <- plainLine{text: string(line), tooLong: tooLong, err: err}:
			case <-done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return c
}

// endChoice is what the trainee decided after Ctrl+C.
type endChoice int

const (
	// goOn: the trainee answered n; the session continues.
	goOn endChoice = iota
	// endAsked: the trainee answered y (or input ended); close, score, save.
	endAsked
	// endNow: a second Ctrl+C; close, score and save without asking more.
	endNow
)

// askToEnd is the plain session's answer to Ctrl+C: it asks "End the
// session? y/n" in the session language and reads the answer from the same
// input as the replies. A second interrupt while it asks ends at once.
func askToEnd(out io.Writer, lang string, lines <-chan plainLine, interrupts <-chan os.Signal) endChoice {
	for {
		fmt.Fprintln(out, say(lang,
			"End the session? y/n  (y scores and saves it, n goes back; Ctrl+C again ends it now)",
			"セッションを終了しますか？ y/n（y で採点して保存、n で戻る。もう一度 Ctrl+C ですぐ終了）"))
		flushOut(out)
		select {
		case <-interrupts:
			return endNow
		case l, ok := <-lines:
			answer := strings.ToLower(strings.TrimSpace(l.text))
			if !ok || (answer == "" && l.err != nil) {
				return endAsked
			}
			switch answer {
			case "y", "yes", "はい":
				return endAsked
			case "n", "no", "いいえ":
				return goOn
			}
			if l.err != nil {
				return endAsked
			}
		}
	}
}

func flushOut(out io.Writer) {
	if f, ok := out.(interface{ Flush() error }); ok {
		f.Flush()
	}
}
