#!/usr/bin/env bash
# Prints what the release build costs a phone: wasm, JS glue and CSS, raw and gzip.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
pkg="$REPO_ROOT/target/site/pkg"
printf '%-22s %10s %10s\n' "release asset" "raw bytes" "gzip -9"
for file in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  [ -f "$file" ] || continue
  printf '%-22s %10s %10s\n' "$(basename "$file")" "$(wc -c <"$file")" "$(gzip -9c "$file" | wc -c)"
done
