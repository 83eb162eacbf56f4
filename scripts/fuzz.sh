#!/usr/bin/env bash
# Fuzzes the REST API from its own OpenAPI document with schemathesis, against the release
# binary on a free 127.0.0.1 port and a throwaway database holding the demo branch, as three
# roles (operations manager, contractor, admin). Bounded in examples and in time.
#
# Fails when any response was a 5xx (schemathesis's not_a_server_error check, and the
# server's own log), or when the server died. A test case schemathesis itself could not run
# (a runtime error on its side) is printed in full but is not a server error.
# Prints `fuzz: N operations, 0 server errors` on success.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

bin="${REENGAGE_BIN:-$CARGO_TARGET_DIR/release/reengage}"
st="$SCHEMATHESIS_VENV/bin/schemathesis"
work="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base="http://127.0.0.1:$port"
export DATABASE_URL="sqlite:$work/fuzz.db" REENGAGE_ADDR="127.0.0.1:$port" REENGAGE_LOG=warn
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$bin" demo >/dev/null
"$bin" serve >"$work/server.log" 2>&1 &
server_pid=$!

failures=0
for who in manager:25:60 contractor:10:30 admin:10:30; do
  IFS=: read -r account examples seconds <<<"$who"
  token=$("$bin" admin token create "$account@demo.test")
  echo "--- as $account@demo.test: at most $examples examples per operation, $seconds s"
  # From the scratch folder: schemathesis keeps a cache in its working directory.
  (cd "$work" && "$st" run "$base/api/v1/openapi.json" --url "$base/api/v1" \
    --header "Authorization: Bearer $token" --wait-for-schema 30 \
    --checks not_a_server_error \
    --phases examples,coverage,fuzzing \
    --max-examples "$examples" --max-time "$seconds" \
    --workers 2 --request-timeout 10 --seed 7869 \
    --report junit --report-junit-path "$work/$account.xml" \
    --no-color --warnings off >"$work/$account.txt" 2>&1) || true
  grep -E "generated|No issues|error|failure" "$work/$account.txt" | tail -n 4 || true
  found=$(grep -c "<failure" "$work/$account.xml" 2>/dev/null || true)
  if [ "${found:-0}" -gt 0 ]; then
    cat "$work/$account.txt"
    failures=$((failures + found))
  elif grep -q "<error" "$work/$account.xml" 2>/dev/null; then
    echo "schemathesis could not run some test cases (on its side, not a server error):"
    # Its first lines only (a traceback can run to megabytes); `head` closing the pipe early
    # must not end the script under pipefail.
    sed -n '/^Errors\|ERRORS/,/SUMMARY/p' "$work/$account.txt" | cut -c1-300 | head -n 40 || true
  fi
done

alive=1
kill -0 "$server_pid" 2>/dev/null || alive=0
python3 -c 'import sys,urllib.request as u; u.urlopen(sys.argv[1], timeout=5)' "$base/healthz" 2>/dev/null || alive=0
operations=$(python3 -c 'import json,sys,urllib.request as u; d=json.load(u.urlopen(sys.argv[1])); print(sum(len(v) for v in d["paths"].values()))' "$base/api/v1/openapi.json" 2>/dev/null || echo "?")
# tower-http logs every 5xx response at ERROR ("response failed"); a panic would show too.
logged=$(grep -cE "response failed|panicked" "$work/server.log" || true)
if [ "$alive" -ne 1 ] || [ "$failures" -gt 0 ] || [ "${logged:-0}" -gt 0 ]; then
  grep -E "response failed|panicked" "$work/server.log" | head -n 20 || true
  echo "fuzz: $operations operations, server errors found: $failures reported, $logged logged, server alive: $alive" >&2
  exit 1
fi
echo "fuzz: $operations operations, 0 server errors"
