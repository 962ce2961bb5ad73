#!/usr/bin/env bash
# The long crash-safety run: SIGKILL `visgraat code` 1000 times at random moments while it
# saves codings, checking after every kill that all files parse and every acknowledged
# coding is there. Prints "kill run: N kills in M attempts, K codings acknowledged, 0 lost".
set -euo pipefail
cd "$(dirname "$0")/.."
VISGRAAT_KILLS="${1:-1000}" cargo test --release --locked --test kill -- --nocapture 2>&1 | grep -E 'kill run|test result|panicked'
