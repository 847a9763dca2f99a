// Command tsunagu is the terminal support chat: the customer app, the
// first-line bot as a filter, the history browser, the queue simulator and
// trainee mode. This package only wires flags to the domain packages.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"tsunagu/transcripts/termsafe"
)

// mainStarted is when the program's own code began: after the Go runtime
// and the packages' initialisation, the nearest a program can see of its
// start (`tsunagu bot --timing` reports from it).
var mainStarted = time.Now()

// Exit codes from the product contract.
const (
	exitOK      = 0
	exitRuntime = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the process exit code. It is the
// seam the end-to-end tests drive, so nothing in it may call os.Exit.
//
// Both outputs go through the one sanitising printer (printer.go).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out, errOut := termsafe.NewWriter(stdout), termsafe.NewWriter(stderr)
	defer out.Flush()
	defer errOut.Flush()
	root := newRootCmd(stdin, out, errOut)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(errOut, "tsunagu: %s\n", termsafe.Line(oneSentence(err)))
	var ue *usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitRuntime
}
