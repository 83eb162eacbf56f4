#!/usr/bin/env bash
# Installs what is missing, builds the release app, loads the demo branch into a new
# database, and serves it (http://127.0.0.1:3000 by default; see README for the settings).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$REPO_ROOT/scripts/setup.sh"
cd "$REPO_ROOT"
step "building the release app"
cargo leptos build --release
bin="$CARGO_TARGET_DIR/release/reengage"
export DATABASE_URL="${DATABASE_URL:-sqlite:data/reengage.db}"
database_file="${DATABASE_URL#sqlite:}"
if [[ "$DATABASE_URL" == sqlite:* && ! -e "$database_file" ]]; then
  step "loading the demo branch into the new database $database_file"
  "$bin" demo
fi
step "serving Re-engage at http://${REENGAGE_ADDR:-127.0.0.1:3000}"
exec "$bin" serve
