// Command genhistory writes a large, realistic, deterministic conversation
// history as JSON Lines (the export format), for benchmarks and for trying
// "tsunagu history import" on a big store:
//
//	go run ./scripts/genhistory -n 100000 -seed 1 > big.jsonl
//
// Each conversation has exactly 10 entries, so -n 100000 gives 1,000,000
// messages and events, mixed Japanese (60%) and English support chats. The
// same -n, -seed and -start always give the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"tsunagu/transcripts/genhist"
)

func main() {
	n := flag.Int("n", 100_000, "number of conversations (each has 10 entries)")
	seed := flag.Uint64("seed", 1, "random seed")
	start := flag.String("start", "2026-01-01T09:00:00+09:00", "start time of the first conversation (RFC 3339)")
	flag.Parse()
	if flag.NArg() > 0 || *n < 0 {
		fmt.Fprintln(os.Stderr, "usage: genhistory [-n N] [-seed S] [-start RFC3339] > history.jsonl")
		os.Exit(2)
	}
	t, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		fmt.Fprintf(os.Stderr, "genhistory: -start wants an RFC 3339 time, not %q.\n", *start)
		os.Exit(2)
	}
	if err := genhist.Write(os.Stdout, genhist.Options{Conversations: *n, Seed: *seed, Start: t}); err != nil {
		fmt.Fprintf(os.Stderr, "genhistory: %v.\n", err)
		os.Exit(1)
	}
}
