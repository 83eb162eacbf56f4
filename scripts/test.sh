#!/usr/bin/env bash
# Installs what is missing, then runs every check and test of the project, and prints how
# many Rust, wasm and Playwright tests ran and how long each stage took.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$REPO_ROOT/scripts/stages.sh"
trap step_times EXIT
step "installing what is missing (scripts/setup.sh)"
"$REPO_ROOT/scripts/setup.sh"
cd "$REPO_ROOT"

# Keep the shared build cache bounded: every fresh clone adds its own copies of the
# project's crates, so past a size the test build starts over.
if [ -d "$CARGO_TARGET_DIR/debug" ] && [ "$(du -sm "$CARGO_TARGET_DIR/debug" | cut -f1)" -gt 12000 ]; then
  step "the debug build cache passed 12 GB: clearing it"
  rm -rf "$CARGO_TARGET_DIR/debug"
fi

logs="$(mktemp -d)"
trap 'step_times; rm -rf "$logs"' EXIT

lint

step "Rust tests (native: core, app, server against fresh databases)"
postgres_notice
native_tests 2>&1 | tee "$logs/native.txt"

step "core tests in wasm32 (Node, wasm-bindgen-test-runner)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p reengage-core --target wasm32-unknown-unknown 2>&1 | tee "$logs/wasm.txt"

release_build
"$REPO_ROOT/scripts/sizes.sh" --budget

step "browser tests (Playwright: phone and desktop, Debian Chromium)"
e2e_status=0
browser_tests || e2e_status=$?
e2e_counts=$(playwright_counts)
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
# Name what failed, so the summary alone says where to look.
grep -E '^test .* FAILED$' "$logs/native.txt" | sed 's/^/  native /' || true
playwright_failures
total_passed=$((native_passed + wasm_passed + e2e_passed))
total_failed=$((native_failed + wasm_failed + e2e_failed))
printf 'total: %s passed, %s failed\n' "$total_passed" "$total_failed"
if [ "$e2e_status" -ne 0 ] || [ "$fuzz_status" -ne 0 ] || [ "$total_failed" -ne 0 ] || [ "$wasm_passed" -eq 0 ] || [ "$e2e_passed" -eq 0 ]; then
  exit 1
fi
