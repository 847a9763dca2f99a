#!/usr/bin/env bash
# End-to-end test of the customer app in a real terminal: builds tsunagu,
# starts it in tmux at 100x30 with a temporary --db, walks the journey with
# send-keys (signed in, an order, a topic, chat, a typed message, a person,
# an operator joining, the receipt, ratings, closed) and checks capture-pane
# output at each step, then checks the store through `tsunagu history`.
# Needs tmux; prints a notice and exits 0 without it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v tmux >/dev/null 2>&1; then
  echo "e2e-tmux: tmux is not installed; skipping the real-terminal test"
  exit 0
fi

tmp=$(mktemp -d)
sock="tsunagu-e2e-$$"
cleanup() {
  tmux -L "$sock" kill-server >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/tsunagu" ./cmd/tsunagu

fail() {
  echo "e2e-tmux: FAIL: $1"
  echo "----- screen -----"
  tmux -L "$sock" capture-pane -p -t e2e 2>/dev/null || true
  echo "------------------"
  exit 1
}

screen() { tmux -L "$sock" capture-pane -p -t e2e; }

# Every wait is for something on the screen. The bound only stops a hang:
# nothing should take that long, even under load (TSUNAGU_E2E_TIMEOUT
# seconds, default 120).
bound=${TSUNAGU_E2E_TIMEOUT:-120}

# wait_until WHAT COMMAND...: poll until COMMAND succeeds.
wait_until() {
  local what=$1 deadline=$((SECONDS + bound))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || fail "$what (waited ${bound} s)"
    sleep 0.1
  done
}

# The screen is captured whole before grep looks, so grep -q stopping early
# cannot fail the capture (pipefail) and read as "not shown".
shows() { local s; s=$(screen) && grep -qF -- "$1" <<<"$s"; }
shows_not() { local s; s=$(screen) && ! grep -qF -- "$1" <<<"$s"; }

# wait_for TEXT: poll the screen until it shows TEXT.
wait_for() { wait_until "never showed: $1" shows "$1"; }

# The header names an operator, not the assistant.
operator_header() {
  local s h
  s=$(screen) && h=$(grep -F "You are talking to" <<<"$s") && ! grep -qF "the assistant" <<<"$h"
}

keys() { tmux -L "$sock" send-keys -t e2e "$@"; }

# No line of the screen may be wider than the pane.
check_width() {
  local w
  w=$(screen | LC_ALL=C.UTF-8 wc -L)
  [ "$w" -le 100 ] || fail "a line is $w columns wide"
}

tmux -L "$sock" new-session -d -s e2e -x 100 -y 30 \
  "env TERM=xterm-256color LANG=C.UTF-8 NO_COLOR=1 '$tmp/tsunagu' --db '$tmp/t.db' --lang en --clock 2026-11-26T10:00:00+09:00 --speed 30 --seed 3; echo \"EXIT=\$?\"; exec sleep infinity"

wait_for "Who are you?"
wait_for "Signed in as Yumi Sato"
keys Enter
wait_for "Which order is this about?"
keys Enter
wait_for "What is it about?"
wait_for "Delivery"
keys Enter
wait_for "Delivery: what exactly?"
keys Enter
wait_for "How would you like to be contacted?"
keys Enter
wait_for "You are talking to the assistant (a bot)"
wait_for "250-1234567-1234567"
check_width

keys -l "where is it now?"
keys Enter
wait_for "where is it now?"
# ctrl+o is ignored while the bot is answering, so wait for its answer.
wait_until "the bot never answered" shows_not "the assistant is answering"
keys C-o
wait_for "Handing you to a person"
wait_for "Who should answer?"
keys Enter
wait_for "joined"
wait_until "the header still names the bot after an operator joined" operator_header
check_width

keys C-r
wait_for "What the operator receives"
wait_for "human_requested"
keys C-r

keys C-x
wait_for "How did we do?"
keys 4 Enter 5 Enter
wait_for "Conversation closed"
wait_for "tsunagu history show"
id=$(screen | sed -n 's/.*tsunagu history show \(c[0-9a-f-]*\).*/\1/p' | head -n1)
[ -n "$id" ] || fail "no conversation id on the closed screen"
keys Enter
wait_for "EXIT=0"

# The store holds the closed conversation with its ratings.
"$tmp/tsunagu" --db "$tmp/t.db" history show "$id" --json > "$tmp/conv.json" || fail "history show $id failed"
grep -q '"status": *"closed"' "$tmp/conv.json" || fail "conversation $id is not closed in the store"
grep -q '"rating"' "$tmp/conv.json" || fail "conversation $id has no rating in the store"
grep -q '"operator_joined"' "$tmp/conv.json" || fail "conversation $id has no operator_joined event"

# A tiny terminal shows "terminal too small" and nothing wider.
tmux -L "$sock" kill-session -t e2e
tmux -L "$sock" new-session -d -s e2e -x 100 -y 30 \
  "env TERM=xterm-256color LANG=C.UTF-8 '$tmp/tsunagu' --db '$tmp/t2.db' --lang en; exec sleep infinity"
wait_for "Who are you?"
tmux -L "$sock" resize-window -t e2e -x 20 -y 5
wait_for "terminal too small"
keys C-c

echo "e2e-tmux: ok (journey, store and tiny terminal checked at 100x30)"
