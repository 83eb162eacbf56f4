#!/usr/bin/env bash
# Fuzzes the REST API from its own OpenAPI document with schemathesis, against the release
# binary on a free 127.0.0.1 port and a throwaway database holding the demo branch, as three
# roles (operations manager, contractor, admin), on SQLite and then on PostgreSQL when it
# answers on 127.0.0.1:5432 (required with REQUIRE_POSTGRES=1). Bounded in examples and in time.
#
# Every check schemathesis has (`--checks all`: no server error, status codes, content types
# and headers documented, responses that match their schemas, schema-valid requests accepted
# and schema-violating ones refused, resources that exist after creation and are gone after
# deletion), in every phase, the stateful one included (requests chained through the
# document's links). `scripts/schemathesis.toml` lists the statuses a well-formed request may
# still get (422: refused by a rule of the policy; 413: a body over 64 KB).
#
# Fails on any failure of any check, on any test case schemathesis could not run, on a 5xx
# in the server's own log, or when the server died. Prints `fuzz: N operations, 0 failures`
# on success.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

bin="${REENGAGE_BIN:-$CARGO_TARGET_DIR/release/reengage}"
st="$SCHEMATHESIS_VENV/bin/schemathesis"
work="$(mktemp -d)"
postgres_admin="${REENGAGE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
postgres_db="reengage_fuzz_$$"
server_pid=""
made_postgres=0
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  wait 2>/dev/null
  [ "$made_postgres" = 1 ] && psql "$postgres_admin/postgres" -qAtc "DROP DATABASE IF EXISTS $postgres_db" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# One backend: the demo loaded into DATABASE_URL, the server started, three roles fuzzed.
# Sets `result` to its summary; returns 1 on any server error or a dead server.
fuzz_backend() {
  local name="$1"
  export DATABASE_URL="$2"
  local dir="$work/$name"
  mkdir -p "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  base="http://127.0.0.1:$port"
  export REENGAGE_ADDR="127.0.0.1:$port" REENGAGE_LOG=warn
  export REENGAGE_AUDIT_KEY_FILE="$dir/audit.key" REENGAGE_AUDIT_ANCHOR="$dir/audit.anchor"
  "$bin" demo >/dev/null
  "$bin" serve >"$dir/server.log" 2>&1 &
  server_pid=$!

  local failures=0
  for who in manager:25:120 contractor:10:45 admin:10:45; do
    IFS=: read -r account examples seconds <<<"$who"
    token=$("$bin" admin token create "$account@demo.test")
    echo "--- $name, as $account@demo.test: at most $examples examples per operation, $seconds s"
    # From the scratch folder: schemathesis keeps a cache in its working directory.
    # One worker: schemathesis's generator is not safe in threads on this Python (a runtime
    # error "AST constructor recursion depth mismatch" with two).
    local code=0
    (cd "$dir" && "$st" --config-file "$REPO_ROOT/scripts/schemathesis.toml" \
      run "$base/api/v1/openapi.json" --url "$base/api/v1" \
      --header "Authorization: Bearer $token" --wait-for-schema 30 \
      --checks all \
      --phases examples,coverage,fuzzing,stateful \
      --max-examples "$examples" --max-time "$seconds" \
      --workers 1 --request-timeout 10 --seed 7869 \
      --report junit --report-junit-path "$dir/$account.xml" \
      --no-color --warnings off >"$dir/$account.txt" 2>&1) || code=$?
    grep -E "generated|No issues|error|failure" "$dir/$account.txt" | tail -n 4 | cut -c1-300 || true
    found=$(grep -c "<failure\|<error" "$dir/$account.xml" 2>/dev/null || true)
    if [ "$code" -ne 0 ] || [ "${found:-0}" -gt 0 ]; then
      # Its report up to the summary; a traceback can run to megabytes, so each line is cut
      # (`head` closing the pipe early must not end the script under pipefail).
      cut -c1-400 "$dir/$account.txt" | head -n 400 || true
      failures=$((failures + ${found:-0} + (found == 0 ? 1 : 0)))
    fi
  done

  local alive=1
  kill -0 "$server_pid" 2>/dev/null || alive=0
  python3 -c 'import sys,urllib.request as u; u.urlopen(sys.argv[1], timeout=5)' "$base/healthz" 2>/dev/null || alive=0
  operations=$(python3 -c 'import json,sys,urllib.request as u; d=json.load(u.urlopen(sys.argv[1])); print(sum(len(v) for v in d["paths"].values()))' "$base/api/v1/openapi.json" 2>/dev/null || echo "?")
  kill "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  # tower-http logs every 5xx response at ERROR ("response failed"); a panic would show too.
  local logged
  logged=$(grep -cE "response failed|panicked" "$dir/server.log" || true)
  if [ "$alive" -ne 1 ] || [ "$failures" -gt 0 ] || [ "${logged:-0}" -gt 0 ]; then
    grep -E "response failed|panicked" "$dir/server.log" | head -n 20 || true
    result="$name: $failures failing test cases, $logged server errors logged, server alive: $alive"
    return 1
  fi
  result="$name 0"
}

status=0
summary=()
fuzz_backend SQLite "sqlite:$work/fuzz.db" || status=1
summary+=("$result")
if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  psql "$postgres_admin/postgres" -qAtc "CREATE DATABASE $postgres_db" >/dev/null
  made_postgres=1
  fuzz_backend PostgreSQL "$postgres_admin/$postgres_db" || status=1
  summary+=("$result")
elif [ "${REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL does not answer on 127.0.0.1:5432 and REQUIRE_POSTGRES=1" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "fuzz: $operations operations, ${summary[*]}" >&2
  exit 1
fi
backends=$(printf '%s, ' "${summary[@]}" | sed -E 's/ 0, /, /g; s/, $//; s/ 0$//')
echo "fuzz: $operations operations, every check, 0 failures ($backends)"
