#!/usr/bin/env bash
# End-to-end run of the history browser in a real terminal (tmux) on a store
# of 100,000 conversations / 1,000,000 messages, built with the repo's
# generator and loaded with "tsunagu history import". Prints the figures the
# README reports: first frame, list and search keystroke latencies (p50/p99/
# max, measured from send-keys until the pane changed, so tmux's own
# overhead is included) and the process's RSS. Then it checks, with a real
# chat holding the store, that history reports "in use" with the chat's pid
# within about a second and opens with r once the chat has quit.
#
#   scripts/e2e-history-tmux.sh            # builds (once) and caches the store
#   TSUNAGU_HISTORY_DB=/path/big.db scripts/e2e-history-tmux.sh
#   TSUNAGU_HISTORY_N=3000 scripts/e2e-history-tmux.sh   # a small store, as CI runs it
#
# The store is cached in ${TSUNAGU_BENCH_DIR:-${TMPDIR:-/tmp}/tsunagu-bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8 # so ${q:i:1} below cuts characters, not bytes

bench_dir=${TSUNAGU_BENCH_DIR:-${TMPDIR:-/tmp}/tsunagu-bench}
mkdir -p "$bench_dir"
bin="$bench_dir/tsunagu"
go build -o "$bin" ./cmd/tsunagu

n=${TSUNAGU_HISTORY_N:-100000}
db=${TSUNAGU_HISTORY_DB:-$bench_dir/history-$n.db}
if [[ ! -f $db ]]; then
	echo "building $db ($n conversations, 10 messages each; 100,000 take a few minutes)…" >&2
	go run ./scripts/genhistory -n "$n" -seed 1 >"$bench_dir/history-$n.jsonl"
	"$bin" history import --db "$db.tmp" "$bench_dir/history-$n.jsonl" >&2
	mv "$db.tmp" "$db"
	rm -f "$bench_dir/history-$n.jsonl"
fi

command -v tmux >/dev/null || { echo "e2e-history-tmux: tmux is not installed." >&2; exit 1; }
session="tsunagu-history-e2e-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT

pane() { tmux capture-pane -p -t "$session"; }
now_ms() { echo "${EPOCHREALTIME/./}" | awk '{printf "%.3f", $1/1000}'; }

# Every wait is for something on the screen or a process. The bound only
# stops a hang: nothing should take that long, even under load
# (TSUNAGU_E2E_TIMEOUT seconds, default 120). The polls that time a key do
# not sleep, so the figures stay exact.
bound=${TSUNAGU_E2E_TIMEOUT:-120}

# wait_for TEXT: poll the pane until it shows TEXT. The pane is captured
# whole before grep looks: grep -q stopping early cannot fail the capture
# (pipefail) and read as "not shown".
wait_for() {
	local deadline=$((SECONDS + bound)) screen
	while :; do
		screen=$(pane) || screen=
		grep -qF -- "$1" <<<"$screen" && return 0
		((SECONDS < deadline)) || { echo "e2e-history-tmux: the pane never showed \"$1\" (waited ${bound} s):" >&2; pane >&2; exit 1; }
	done
}

# wait_gone SESSION: wait until the tmux session has ended (its program quit).
wait_gone() {
	local deadline=$((SECONDS + bound))
	while tmux has-session -t "$1" 2>/dev/null; do
		((SECONDS < deadline)) || { echo "e2e-history-tmux: $1 did not quit (waited ${bound} s)" >&2; exit 1; }
		sleep 0.05
	done
}

# key_latency KEY...: send the keys, poll until the pane changes, print ms.
key_latency() {
	local before after t0 deadline=$((SECONDS + bound))
	before=$(pane)
	t0=$EPOCHREALTIME
	tmux send-keys -t "$session" "$@"
	while :; do
		after=$(pane)
		[[ $after != "$before" ]] && break
		((SECONDS < deadline)) || { echo "e2e-history-tmux: key $* changed nothing" >&2; exit 1; }
	done
	awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", (b - a) * 1000 }'
}

stats() { # name: reads ms values on stdin
	sort -n | awk -v name="$1" '{ v[NR] = $1 } END {
		p50 = v[int(NR * 0.50 + 0.5) > 0 ? int(NR * 0.50 + 0.5) : 1]
		i99 = int(NR * 0.99 + 0.99); if (i99 > NR) i99 = NR
		printf "%-26s n=%d  p50 %.1f ms  p99 %.1f ms  max %.1f ms\n", name, NR, p50, v[i99], v[NR] }'
}

t0=$EPOCHREALTIME
tmux new-session -d -s "$session" -x 120 -y 40 "exec env NO_COLOR=1 '$bin' --lang ja --db '$db' history"
wait_for "›"
first=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
pid=$(tmux list-panes -t "$session" -F '#{pane_pid}')

list=$(mktemp) search=$(mktemp)
for _ in $(seq 150); do key_latency Down >>"$list"; done
for _ in $(seq 40); do key_latency PageDown >>"$list"; done
for _ in $(seq 40); do key_latency PageUp >>"$list"; done
key_latency Home >>"$list" || true

for q in 返品したい refund 届きません tracking パスワード; do
	for ((i = 0; i < ${#q}; i++)); do key_latency -l "${q:i:1}" >>"$search"; done
	wait_for "全"                        # "N件表示／全M件": the results are on screen
	for ((i = 0; i < ${#q}; i++)); do key_latency BSpace >>"$search"; done
done

# Open a hit, jump, come back, quit cleanly.
for c in 返 品; do tmux send-keys -t "$session" -l "$c"; done
wait_for "検索: 返品" # typed; the count reads 検索中… until this search is done
wait_for "全"
tmux send-keys -t "$session" Enter
wait_for "一致 1／"
tmux send-keys -t "$session" n
tmux send-keys -t "$session" Escape
wait_for "検索:"

rss=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status")
anon=$(awk '/^RssAnon/ { print int($2 / 1024) }' "/proc/$pid/status")
file=$(awk '/^RssFile/ { print int($2 / 1024) }' "/proc/$pid/status")
# While a chat holds the store, history says so within about a second and
# names the chat's pid (RELIABILITY C21); r retries once the chat is gone.
tmux send-keys -t "$session" C-c
wait_gone "$session"
chat="$session-chat"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; tmux kill-session -t "$chat" 2>/dev/null || true' EXIT
tmux new-session -d -s "$chat" -x 100 -y 30 "exec '$bin' --lang ja --db '$db' chat"
chat_pid=$(tmux list-panes -t "$chat" -F '#{pane_pid}')
deadline=$((SECONDS + bound))
until [[ $(cat "$db.pid" 2>/dev/null) == "$chat_pid" ]]; do
	((SECONDS < deadline)) || { echo "e2e-history-tmux: the chat never opened the store" >&2; exit 1; }
	sleep 0.05
done
t0=$EPOCHREALTIME
tmux new-session -d -s "$session" -x 120 -y 40 "exec env NO_COLOR=1 '$bin' --lang ja --db '$db' history"
deadline=$((SECONDS + bound))
until screen=$(pane | tr -d '\n') && grep -q "another tsunagu *(pid *$chat_pid)" <<<"$screen"; do
	((SECONDS < deadline)) || { echo "e2e-history-tmux: no in-use message naming pid $chat_pid:" >&2; pane >&2; exit 1; }
done
in_use=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
tmux send-keys -t "$chat" C-c
wait_gone "$chat"
tmux send-keys -t "$session" r
wait_for "›"

tmux send-keys -t "$session" C-c
sleep 0.3

echo "store: $db ($(du -h "$db" | cut -f1)), terminal 120x40, tmux"
echo "first frame with rows: ${first} ms (from starting the process)"
stats "list keys" <"$list"
stats "search keys (echo)" <"$search"
echo "store in use by a chat (pid $chat_pid): message after ${in_use} ms; r opened it once the chat quit"
echo "RSS ${rss} MB (peak ${hwm} MB): ${anon} MB heap and stacks, ${file} MB mapped store pages"
rm -f "$list" "$search"
