#!/usr/bin/env bash
# Every history-browser figure the README reports, on a store of 100,000
# conversations / 1,000,000 messages (built once with the repo's generator
# and "tsunagu history import", then cached):
#   1. the tmux end-to-end run of the real binary (scripts/e2e-history-tmux.sh);
#   2. scripts/benchhistory: the same model driven in-process, per key;
#   3. the Go benchmarks in tui/history (BenchmarkHistory*).
#
#   scripts/bench-history.sh
#   TSUNAGU_HISTORY_DB=/path/big.db scripts/bench-history.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bench_dir=${TSUNAGU_BENCH_DIR:-${TMPDIR:-/tmp}/tsunagu-bench}
export TSUNAGU_BENCH_DIR=$bench_dir
export TSUNAGU_HISTORY_DB=${TSUNAGU_HISTORY_DB:-$bench_dir/history-100k.db}

echo "== tmux end-to-end"
scripts/e2e-history-tmux.sh
echo
echo "== benchhistory (in-process, per key)"
go run ./scripts/benchhistory -db "$TSUNAGU_HISTORY_DB" -downs 500 -pages 100
echo
echo "== go test -bench BenchmarkHistory"
go test ./tui/history -run '^$' -bench BenchmarkHistory -benchtime 300x -benchmem | grep -E '^Benchmark'
