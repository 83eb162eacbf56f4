#!/usr/bin/env bash
# After `cargo leptos build --release --precompress`: writes again, with `gzip -9`, the gzip
# copies of the release's built files (target/site/pkg) that the server sends as they are
# (server/src/web/assets.rs). cargo-leptos's own gzip of the wasm was 15 % larger (217,940
# bytes against 188,806); its brotli copies, at quality 11, are kept.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
pkg="${1:-$REPO_ROOT/target/site/pkg}"
for file in "$pkg"/*; do
  case "$file" in *.gz | *.br) continue ;; esac
  [ -f "$file" ] && gzip -9 -n -k -f "$file"
done
