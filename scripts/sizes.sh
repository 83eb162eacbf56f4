#!/usr/bin/env bash
# Prints what the release build costs a phone: wasm, JS glue and CSS, raw, gzip and brotli
# (brotli when its command is installed; `make bench` installs it). With --budget, fails when
# the wasm's gzip -9 size is above WASM_GZIP_BUDGET bytes (make test).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
pkg="$REPO_ROOT/target/site/pkg"
br() { if command -v brotli >/dev/null 2>&1; then brotli -c "$1" | wc -c; else echo "-"; fi; }
printf '%-22s %10s %10s %10s\n' "release asset" "raw bytes" "gzip -9" "brotli"
for file in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  [ -f "$file" ] || continue
  printf '%-22s %10s %10s %10s\n' "$(basename "$file")" "$(wc -c <"$file")" "$(gzip -9c "$file" | wc -c)" "$(br "$file")"
done

if [ "${1:-}" = "--budget" ]; then
  # The served gzip copy is gzip -9 (scripts/precompress.sh). The budget holds the size where it
  # stands, with a little room, so a change that adds to the wasm is seen: the 160,000 bytes
  # asked for are not reached yet (README, Benchmark).
  budget="${WASM_GZIP_BUDGET:-195000}"
  wasm=$(ls -t "$pkg"/*.wasm | head -1)
  size=$(gzip -9c "$wasm" | wc -c)
  if [ "$size" -gt "$budget" ]; then
    echo "wasm budget: $size bytes gzip, above the budget of $budget: find what the change added (twiggy top, make bench)" >&2
    exit 1
  fi
  echo "wasm budget: $size bytes gzip, within $budget"
fi
