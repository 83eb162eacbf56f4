#!/usr/bin/env bash
# Fuzzes the REST API from its own OpenAPI document with schemathesis, against the release
# binary on a free 127.0.0.1 port and a throwaway database holding the demo branch, as three
# roles (operations manager, contractor, admin). Bounded in examples and in time. Fails on
# any 5xx answer. Prints `fuzz: N operations, 0 server errors` on success.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

bin="${REENGAGE_BIN:-$CARGO_TARGET_DIR/release/reengage}"
st="$SCHEMATHESIS_VENV/bin/schemathesis"
work="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
export DATABASE_URL="sqlite:$work/fuzz.db" REENGAGE_ADDR="127.0.0.1:$port" REENGAGE_LOG=warn
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$bin" demo >/dev/null
"$bin" serve >"$work/server.log" 2>&1 &
server_pid=$!

status=0
for who in manager:25:60 contractor:10:30 admin:10:30; do
  IFS=: read -r account examples seconds <<<"$who"
  token=$("$bin" admin token create "$account@demo.test")
  echo "--- as $account@demo.test: at most $examples examples per operation, $seconds s"
  "$st" run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --url "http://127.0.0.1:$port/api/v1" \
    --header "Authorization: Bearer $token" --wait-for-schema 30 \
    --checks not_a_server_error \
    --phases examples,coverage,fuzzing \
    --max-examples "$examples" --max-time "$seconds" \
    --workers 2 --request-timeout 10 --seed 7869 \
    --no-color --warnings off >"$work/$account.txt" 2>&1 || status=$?
  tail -n 25 "$work/$account.txt"
done

# Belt and braces: the server log has no panic and no 5xx either.
if grep -E "panicked|status=5[0-9][0-9]" "$work/server.log"; then
  echo "fuzz: the server logged a panic or a server error" >&2
  status=1
fi
operations=$(python3 -c 'import json,sys,urllib.request as u; d=json.load(u.urlopen(sys.argv[1])); print(sum(len(v) for v in d["paths"].values()))' "http://127.0.0.1:$port/api/v1/openapi.json")
if [ "$status" -ne 0 ]; then
  echo "fuzz: $operations operations, server errors found (see above)" >&2
  exit 1
fi
echo "fuzz: $operations operations, 0 server errors"
