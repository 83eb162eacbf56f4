#!/usr/bin/env bash
# The browser tests alone: installs what is missing, builds the release app, and runs the
# Playwright specs given as arguments (paths from the repository root or from end2end/,
# optionally with :LINE) or, with none, every spec — as `make test` runs them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$REPO_ROOT/scripts/stages.sh"
trap step_times EXIT
step "installing what is missing (scripts/setup.sh)"
"$REPO_ROOT/scripts/setup.sh"
cd "$REPO_ROOT"

# Playwright runs in end2end/: a path given from the repository root loses its first folder.
specs=()
for spec in "$@"; do specs+=("${spec#end2end/}"); done

release_build

step "browser tests (Playwright: phone and desktop, Debian Chromium) ${specs[*]:-every spec}"
status=0
browser_tests "${specs[@]}" || status=$?
read -r passed failed skipped <<<"$(playwright_counts)"
printf 'Playwright tests:    %s passed, %s failed, %s skipped\n' "$passed" "$failed" "$skipped"
playwright_failures
exit "$status"
