#!/usr/bin/env bash
# Prints what the release build costs a phone: wasm, JS glue and CSS, raw, gzip and brotli
# (brotli when its command is installed; `make bench` installs it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
pkg="$REPO_ROOT/target/site/pkg"
br() { if command -v brotli >/dev/null 2>&1; then brotli -c "$1" | wc -c; else echo "-"; fi; }
printf '%-22s %10s %10s %10s\n' "release asset" "raw bytes" "gzip -9" "brotli"
for file in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  [ -f "$file" ] || continue
  printf '%-22s %10s %10s %10s\n' "$(basename "$file")" "$(wc -c <"$file")" "$(gzip -9c "$file" | wc -c)" "$(br "$file")"
done
