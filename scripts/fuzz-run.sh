#!/usr/bin/env bash
# Run every fuzz target for SECONDS (default 600) one after another, seeded from the shipped
# corpus and the test fixtures, and print the executions per target. Needs a nightly toolchain
# and cargo-fuzz (`cargo install cargo-fuzz`). Not part of CI. TARGETS="codings query" runs
# some of them only.
set -euo pipefail
seconds="${1:-600}"
cd "$(dirname "$0")/../fuzz"
mkdir -p corpus/source corpus/codings corpus/query corpus/turn
cp ../corpus/sources/*/*.md ../tests/fixtures/corpus/sources/*/*.md \
  ../tests/fixtures/synthetic-focusgroep-transcript.md corpus/source/
for f in ../corpus/codings/*/*.toml; do
  cp "$f" "corpus/codings/$(basename "$(dirname "$f")")-$(basename "$f")"
done
i=0
for q in werkdruk '"passend onderwijs"' 'begeleiding OR beleid' 'docent -werkdruk' 'NOT klas' \
  '"' '((' 'welzijn*' 'é' '日本' 'e\u0308' '"docent werkdruk" OR -klas'; do
  i=$((i + 1))
  printf '\x00%s' "$q" >"corpus/query/seed-$i"
done
grep -h ':' ../tests/fixtures/synthetic-focusgroep-transcript.md | head -40 \
  | split -l 1 - corpus/turn/seed-
cargo +nightly fuzz build
for target in ${TARGETS:-source turn codings query}; do
  log="$(mktemp)"
  # Debug assertions and overflow checks on, except for the query path: there tantivy's own
  # debug assertions must be off, as in the builds users run (one fires on excluded phrases
  # that match nothing: quickwit-oss/tantivy#2811).
  mode=()
  [ "$target" = query ] && mode=(-O)
  cargo +nightly fuzz run "${mode[@]}" "$target" -- -max_total_time="$seconds" 2>"$log" || {
    tail -40 "$log"
    echo "$target: CRASH (see fuzz/artifacts/$target)"
    exit 1
  }
  runs="$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1)"
  echo "$target: $runs(s), no crash"
done
