#!/usr/bin/env bash
# The fast inner loop's second half: the native Rust tests of core, app and server, the
# server's on SQLite and (when it answers on 127.0.0.1:5432) PostgreSQL, exactly as
# `make test` runs them, less the slow server tests below. No release build, no wasm tests,
# no Playwright, no fuzz; installs nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$REPO_ROOT/scripts/stages.sh"
trap step_times EXIT
cd "$REPO_ROOT"

# The server tests that take minutes, by test name, which is the same whether each test file
# is its own binary (`two_hundred_clients…`) or a module of one binary (`load::two_hundred…`).
# `make test` runs every one of them.
slow_tests=(
  # server/tests/load.rs: 200 clients for 60 seconds, on one server and on two instances
  two_hundred_clients_for_a_minute_without_an_error_or_a_lost_write
  two_instances_on_one_postgresql_lose_nothing_and_show_nothing_stale
  # server/tests/crash.rs: SIGKILL, round after round, on each backend and on two instances
  acknowledged_writes_survive_sigkill_and_none_is_half_written
  two_instances_on_one_postgresql_killed_each_round_lose_nothing
  # server/tests/flood.rs: 50 clients flooding /signin for 30 s while 20 coaches write
  a_sign_in_flood_neither_slows_the_coaches_writes_nor_fills_the_audit_log
  # server/tests/scale.rs: 2,050 episodes on each backend, then every list query's plan
  at_scale_every_stage_is_there_and_every_list_query_runs_on_an_index
)
skips=()
for name in "${slow_tests[@]}"; do skips+=(--skip "$name"); done

logs="$(mktemp -d)"
trap 'step_times; rm -rf "$logs"' EXIT

step "Rust tests (native: core, app, server against fresh databases), without the slow server tests"
postgres_notice
status=0
native_tests "${skips[@]}" 2>&1 | tee "$logs/native.txt" || status=$?
left_out=$(count "$logs/native.txt" "filtered out")

step "summary"
printf 'Rust tests (native): %s passed, %s failed, %s slow ones left out (make test runs them)\n' \
  "$(count "$logs/native.txt" passed)" "$(count "$logs/native.txt" failed)" "$left_out"
if [ "$status" -eq 0 ] && [ "$left_out" -ne "${#slow_tests[@]}" ]; then
  echo "quick.sh meant to leave out ${#slow_tests[@]} slow tests and left out $left_out:" \
    "a slow test was renamed or split; update slow_tests in scripts/quick.sh." >&2
fi
exit "$status"
