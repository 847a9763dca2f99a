#!/usr/bin/env bash
# End-to-end check of trainee mode in a real terminal: build the binary, play
# the hijacked-account scenario in tmux at 100x30 (real bot, real packet,
# paused clock), transfer to the security team, and check the scorecard, the
# stored progress and the Markdown export. Exit 0 on success, 1 on failure.
# Needs tmux; without it the script says SKIP and exits 0.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP: tmux is not installed"
	exit 0
fi
work=$(mktemp -d)
sock="tsunagu-e2e-train-$$"
cleanup() {
	tmux -L "$sock" kill-server >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

bin="$work/tsunagu"
(cd "$root" && go build -o "$bin" ./cmd/tsunagu)
db="$work/train.db"
flags=(--db "$db" --lang en --clock 2026-11-26T10:00:00+09:00 --seed 1)

fail() {
	echo "FAIL: $*" >&2
	echo "---- screen ----" >&2
	tmux -L "$sock" capture-pane -p -t e2e >&2 || true
	exit 1
}

# wait_for TEXT: poll the screen until it shows TEXT. The bound only stops
# a hang: nothing should take that long, even under load
# (TSUNAGU_E2E_TIMEOUT seconds, default 120).
bound=${TSUNAGU_E2E_TIMEOUT:-120}
wait_for() {
	local screen deadline=$((SECONDS + bound))
	while :; do
		# Captured whole before grep looks: grep -q stopping early cannot
		# fail the capture (pipefail).
		screen=$(tmux -L "$sock" capture-pane -p -t e2e 2>/dev/null) || screen=
		grep -qF -- "$1" <<<"$screen" && return 0
		((SECONDS < deadline)) || fail "the screen never showed: $1 (waited ${bound} s)"
		sleep 0.1
	done
}

# After the app ends, the pane stays (with its exit status) until cleanup.
tmux -L "$sock" new-session -d -s e2e -x 100 -y 30 \
	"env TERM=xterm-256color NO_COLOR=1 LANG=C.UTF-8 '$bin' ${flags[*]} train --scenario hijacked-account --trainee e2e; echo \"EXIT=\$?\"; exec sleep infinity"

wait_for "Handoff packet"
wait_for "Reason: sensitive"
wait_for "Handed over to you"

tmux -L "$sock" send-keys -t e2e -l "I've read your conversation with our assistant. I'm sorry, that must be frightening. Our security team will lock your account."
tmux -L "$sock" send-keys -t e2e Enter
wait_for "You"
wait_for "Steps given: 1/1"

tmux -L "$sock" send-keys -t e2e C-t
wait_for "1 Security team"
tmux -L "$sock" send-keys -t e2e 1
wait_for "Scorecard: A hijacked account"
wait_for "Saved as session 1"
screen=$(tmux -L "$sock" capture-pane -p -t e2e)
grep -qF "Score 100.0 / 100" <<<"$screen" || fail "the good run did not score 100"
grep -qF "Transferred to the Security team, the right team." <<<"$screen" || fail "routing is not explained"
# The store is read below, so wait until the app has saved and quit.
tmux -L "$sock" send-keys -t e2e C-c
wait_for "EXIT=0"

history=$("$bin" "${flags[@]}" train history --json)
grep -qF '"scenario_id":"hijacked-account"' <<<"$history" || { echo "$history" >&2; echo "FAIL: progress not stored" >&2; exit 1; }
md=$("$bin" "${flags[@]}" train export 1)
grep -qF "# Scorecard: A hijacked account" <<<"$md" || { echo "$md" >&2; echo "FAIL: Markdown export" >&2; exit 1; }
echo "PASS: trainee mode end to end (tmux 100x30)"
