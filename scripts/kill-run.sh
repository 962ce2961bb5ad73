#!/usr/bin/env bash
# The long crash-safety runs: SIGKILL `visgraat code` 1000 times at random moments while it
# saves codings, and the TUI's state machine (`visgraat replay`) 1000 times during a session
# of edits (memo, recode, remove, settle, undo, redo), checking after every kill that all
# files parse and that no coding was lost. Prints "kill run: …" and "TUI kill run: …".
set -euo pipefail
cd "$(dirname "$0")/.."
VISGRAAT_KILLS="${1:-1000}" cargo test --release --locked --test kill -- --nocapture 2>&1 | grep -E 'kill run|test result|panicked'
VISGRAAT_TUI_KILLS="${1:-1000}" cargo test --release --locked --test kill_tui -- --nocapture 2>&1 | grep -E 'kill run|test result|panicked|lost'
