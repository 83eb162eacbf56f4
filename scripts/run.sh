#!/usr/bin/env bash
# Installs what is missing, builds the release app and serves it (http://127.0.0.1:3000 by
# default; see README for the settings).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$REPO_ROOT/scripts/setup.sh"
cd "$REPO_ROOT"
step "building and serving Re-engage at http://${REENGAGE_ADDR:-127.0.0.1:3000}"
exec cargo leptos serve --release
