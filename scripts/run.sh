#!/usr/bin/env bash
# Installs what is missing, builds the release app and serves it (http://127.0.0.1:3000 by
# default; see README for the settings): the demo branch from data/demo.db (loaded on first
# run), or, when DATABASE_URL is set, that database as it is.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$REPO_ROOT/scripts/setup.sh"
cd "$REPO_ROOT"
step "building the release app"
cargo leptos build --release --precompress
scripts/precompress.sh
bin="$CARGO_TARGET_DIR/release/reengage"
if [[ -z "${DATABASE_URL:-}" ]]; then
  # The demo lives in a file of its own, never in the production default (data/reengage.db):
  # fictional people, every page labelled a demo; `reengage demo` refuses a database that
  # holds staff.
  export DATABASE_URL="sqlite:data/demo.db"
  if [[ ! -e data/demo.db ]]; then
    step "loading the demo branch into data/demo.db (a database of its own)"
    "$bin" demo
  fi
else
  step "serving the database DATABASE_URL names (no demo is loaded into it)"
fi
step "serving Re-engage at http://${REENGAGE_ADDR:-127.0.0.1:3000}"
exec "$bin" serve
