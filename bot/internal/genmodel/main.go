// Command genmodel trains the default rules' models and writes them to the
// file named by its argument (go generate in package bot: see
// bot/precomputed.go).
package main

import (
	"fmt"
	"os"

	"tsunagu/bot"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: genmodel FILE")
		os.Exit(2)
	}
	data, err := bot.BuildPrecomputed()
	if err != nil {
		fmt.Fprintln(os.Stderr, "genmodel:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[1], data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genmodel:", err)
		os.Exit(1)
	}
}
