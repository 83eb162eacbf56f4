#!/usr/bin/env bash
# Installs what is missing, then runs every check and test of the project, and prints how
# many Rust, wasm and Playwright tests ran.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$REPO_ROOT/scripts/setup.sh"
cd "$REPO_ROOT"

# Keep the shared build cache bounded: every fresh clone adds its own copies of the
# project's crates, so past a size the test build starts over.
if [ -d "$CARGO_TARGET_DIR/debug" ] && [ "$(du -sm "$CARGO_TARGET_DIR/debug" | cut -f1)" -gt 12000 ]; then
  step "the debug build cache passed 12 GB: clearing it"
  rm -rf "$CARGO_TARGET_DIR/debug"
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
# Sums the "N passed" / "N failed" of every `test result:` line in a log.
count() { grep -E '^test result:' "$1" | sed -E "s/.* ([0-9]+) $2.*/\1/" | awk '{ s += $1 } END { print s + 0 }'; }

step "formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "lints (clippy -D warnings, per package)"
cargo clippy -p reengage-core -p reengage-server --all-targets -- -D warnings
cargo clippy -p reengage-core --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy -p reengage-app --target wasm32-unknown-unknown --features hydrate -- -D warnings

step "Rust tests (native: core, app, server against fresh databases)"
if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  if [ "${REQUIRE_POSTGRES:-0}" = 1 ]; then
    echo "PostgreSQL does not answer on 127.0.0.1:5432 and REQUIRE_POSTGRES=1: the server tests will fail." >&2
  else
    echo "PostgreSQL does not answer on 127.0.0.1:5432: the PostgreSQL half of the server tests is skipped."
  fi
fi
cargo test -p reengage-core -p reengage-app -p reengage-server 2>&1 | tee "$logs/native.txt"

step "core tests in wasm32 (Node, wasm-bindgen-test-runner)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p reengage-core --target wasm32-unknown-unknown 2>&1 | tee "$logs/wasm.txt"

step "release build (cargo leptos build --release)"
cargo leptos build --release
"$REPO_ROOT/scripts/sizes.sh"

step "browser tests (Playwright: phone and desktop, Debian Chromium)"
export REENGAGE_BIN="$CARGO_TARGET_DIR/release/reengage"
export LEPTOS_SITE_ROOT="$REPO_ROOT/target/site"
e2e_status=0
(cd end2end && npx playwright test) || e2e_status=$?
e2e_counts=$(node -e '
  const r = require(process.argv[1]);
  console.log(`${r.stats.expected} ${r.stats.unexpected + r.stats.flaky} ${r.stats.skipped}`);
' "$REPO_ROOT/end2end/test-results/results.json" 2>/dev/null || echo "0 1 0")
read -r e2e_passed e2e_failed e2e_skipped <<<"$e2e_counts"

step "API fuzz (schemathesis from the OpenAPI document, 127.0.0.1, bounded)"
fuzz_status=0
"$REPO_ROOT/scripts/fuzz.sh" 2>&1 | tee "$logs/fuzz.txt" || fuzz_status=$?
fuzz_line=$(grep -E '^fuzz: ' "$logs/fuzz.txt" | tail -n 1 || true)

native_passed=$(count "$logs/native.txt" passed)
native_failed=$(count "$logs/native.txt" failed)
wasm_passed=$(count "$logs/wasm.txt" passed)
wasm_failed=$(count "$logs/wasm.txt" failed)

step "summary"
printf 'Rust tests (native): %s passed, %s failed\n' "$native_passed" "$native_failed"
printf 'wasm tests (core):   %s passed, %s failed\n' "$wasm_passed" "$wasm_failed"
printf 'Playwright tests:    %s passed, %s failed, %s skipped\n' "$e2e_passed" "$e2e_failed" "$e2e_skipped"
printf 'API fuzz:            %s\n' "${fuzz_line:-did not finish}"
total_passed=$((native_passed + wasm_passed + e2e_passed))
total_failed=$((native_failed + wasm_failed + e2e_failed))
printf 'total: %s passed, %s failed\n' "$total_passed" "$total_failed"
if [ "$e2e_status" -ne 0 ] || [ "$fuzz_status" -ne 0 ] || [ "$total_failed" -ne 0 ] || [ "$wasm_passed" -eq 0 ] || [ "$e2e_passed" -eq 0 ]; then
  exit 1
fi
