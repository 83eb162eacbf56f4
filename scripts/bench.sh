#!/usr/bin/env bash
# make bench: the release build under load with 100,000 episodes, and what a phone downloads.
#
# Installs what is missing (the test command's tools, and wrk, brotli and Lighthouse), builds
# release, loads BENCH_EPISODES (100,000) episodes into SQLite — and into PostgreSQL when one
# answers on 127.0.0.1:5432 — serves each, and prints for the Today page, the branch dashboard,
# an episode page and the REST list and episode, under 50 and 200 signed-in clients for
# BENCH_SECONDS (15) each (and one client, for the server's own time): requests/s, p50, p99 and errors (wrk, from Debian's packages),
# the JS file and the health check at 50 clients, 200 coaches each logging an attempt about
# every 2 s for a minute (scripts/bench/writes.py: p50, p99, errors, lost), and the
# instructions per page of Today and
# the dashboard under callgrind (valgrind, from Debian's packages); then
# the release asset sizes, the Today page's HTML size, and Lighthouse's mobile scores of Today
# and an episode page. Loaded databases are kept under ~/.cache/reengage/bench for re-runs the
# same day (BENCH_POSTGRES=0 leaves PostgreSQL out). Not part of `make test`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

EPISODES="${BENCH_EPISODES:-100000}"
SECONDS_EACH="${BENCH_SECONDS:-15}"
LIGHTHOUSE_RUNS="${BENCH_LIGHTHOUSE_RUNS:-3}"
PORT="${BENCH_PORT:-3100}"
BASE="http://127.0.0.1:$PORT"
BENCH_DIR="${BENCH_DIR:-$HOME/.cache/reengage/bench}"
LIGHTHOUSE_VERSION=12.8.2
LIGHTHOUSE_DIR="$HOME/.cache/reengage/lighthouse-$LIGHTHOUSE_VERSION"
mkdir -p "$BENCH_DIR"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

scripts/setup.sh
for tool in wrk brotli valgrind; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    step "installing $tool from apt"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$tool" >/dev/null \
      || { as_root apt-get update >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$tool" >/dev/null; }
  fi
done
if [ ! -x "$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse" ]; then
  step "installing lighthouse $LIGHTHOUSE_VERSION (npm) in $LIGHTHOUSE_DIR"
  mkdir -p "$LIGHTHOUSE_DIR"
  npm install --prefix "$LIGHTHOUSE_DIR" --no-audit --no-fund --silent "lighthouse@$LIGHTHOUSE_VERSION"
fi

step "release build"
cargo leptos build --release --precompress 2>&1 | tail -n 2
scripts/precompress.sh
BIN="$CARGO_TARGET_DIR/release/reengage"
# The release's JS file, by its hashed name (and not its .br or .gz copy).
BENCH_JS=$(basename "$(ls target/site/pkg/reengage*.js | head -1)")
export BENCH_JS
export LEPTOS_SITE_ROOT="$REPO_ROOT/target/site" LEPTOS_OUTPUT_NAME=reengage

# The loaded data depends on the schema, the loader and the day it was loaded.
KEY=$( { git ls-files -z server/migrations server/src/cli/scale.rs server/src/cli/demo.rs | xargs -0 cat; echo "$EPISODES $(date +%F)"; } | sha256sum | cut -c1-12)

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
trap stop_server EXIT

start_server() {
  DATABASE_URL="$1" REENGAGE_ADDR="127.0.0.1:$PORT" REENGAGE_LOG=warn \
    REENGAGE_BENCH_PAGE="${BENCH_PAGE:-}" "$BIN" serve &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    curl -fs "$BASE/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the server did not start" >&2
  exit 1
}

# The code the demo's TOTP key gives now (supervisors sign in with one, RFC 6238).
demo_code() {
  python3 -c '
import base64, hmac, struct, time
key = base64.b32decode("REENGAGEDEMOBRANCHONLYTOTPKEY234")
mac = hmac.digest(key, struct.pack(">Q", int(time.time()) // 30), "sha1")
offset = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))'
}

# The session cookie of EMAIL (every demo account has the demo password; a supervisor also
# gives the demo key's code).
sign_in() {
  local headers cookie
  headers=$(curl -s -o /dev/null -D - -H "Origin: $BASE" \
    --data-urlencode "email=$1" --data-urlencode "password=riverbend demo branch only" \
    "$BASE/signin" | tr -d '\r')
  cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(reengage=[^;]*\).*/\1/p' <<<"$headers")
  if grep -qi '^location: /signin/code$' <<<"$headers"; then
    cookie=$(curl -s -o /dev/null -D - -H "Origin: $BASE" -H "Cookie: $cookie" \
      --data-urlencode "code=$(demo_code)" "$BASE/signin/code" | tr -d '\r' |
      sed -n 's/^[Ss]et-[Cc]ookie: \(reengage=[^;]*\).*/\1/p')
  fi
  echo "$cookie"
}

# Writes the wrk target files: coaches of the first branches (Today, their episodes, the
# REST list and episode), managers of the branches (the dashboard).
write_targets() {
  local dir="$1" coaches=() managers=()
  local branches=$(( (EPISODES + 1999) / 2000 ))
  for b in $(seq 0 $(( (branches < 5 ? branches : 5) - 1 ))); do
    for k in $(seq 0 9); do coaches+=("coach$k@b$(printf %03d "$b").scale.test"); done
  done
  for b in $(seq 0 $(( (branches < 25 ? branches : 25) - 1 ))); do
    managers+=("manager@b$(printf %03d "$b").scale.test")
  done
  : >"$dir/coach-cookies" && : >"$dir/manager-cookies"
  for email in "${coaches[@]}"; do sign_in "$email" >>"$dir/coach-cookies"; done
  for email in "${managers[@]}"; do sign_in "$email" >>"$dir/manager-cookies"; done
  python3 - "$dir" "$BASE" "${#coaches[@]}" "${#managers[@]}" <<'PY'
import json, os, sys, urllib.request
folder, base, want_coaches, want_managers = sys.argv[1:]
coaches = open(f"{folder}/coach-cookies").read().split()
managers = open(f"{folder}/manager-cookies").read().split()
assert (len(coaches), len(managers)) == (int(want_coaches), int(want_managers)), "a sign-in failed"
def episodes(cookie):
    request = urllib.request.Request(f"{base}/api/v1/episodes?limit=5", headers={"Cookie": cookie})
    return [row["id"] for row in json.load(urllib.request.urlopen(request))["episodes"]]
html, rest = "text/html", "application/json"
targets = {"today": [], "branch": [], "episode": [], "rest-list": [], "rest-episode": [],
           "static-js": [], "healthz": [], "static-page": []}
for cookie in coaches:
    targets["today"].append(("/today", cookie, html))
    targets["rest-list"].append(("/api/v1/episodes?limit=50", cookie, rest))
    for id in episodes(cookie)[:3]:
        targets["episode"].append((f"/episodes/{id}", cookie, html))
        targets["rest-episode"].append((f"/api/v1/episodes/{id}", cookie, rest))
for cookie in managers:
    targets["branch"].append(("/branch", cookie, html))
# What a phone fetches once per release, and the cheapest answer the server has.
js = os.environ["BENCH_JS"]
targets["static-js"].append((f"/pkg/{js}", "", "*/*", "br"))
targets["healthz"].append(("/healthz", "", "*/*"))
# A copy of a coach's Today page, answered from memory (REENGAGE_BENCH_PAGE): the ceiling.
targets["static-page"].append(("/bench/page", "", html))
for name, rows in targets.items():
    with open(f"{folder}/{name}.lua", "w") as f:
        f.write("return {\n")
        for path, cookie, accept, *encoding in rows:
            extra = f', encoding = "{encoding[0]}"' if encoding else ""
            f.write(f'  {{ path = "{path}", cookie = "{cookie}", accept = "{accept}"{extra} }},\n')
        f.write("}\n")
with open(f"{folder}/lighthouse", "w") as f:
    f.write(f"{coaches[0]} {targets['episode'][0][0]}\n")
with open(f"{folder}/callgrind", "w") as f:
    f.write(f"today {coaches[0]} /today\n")
    f.write(f"branch {managers[0]} /branch\n")
PY
}

# Waits (at most a minute) until the server is idle again: a page whose client has gone on
# being rendered after wrk stopped would otherwise count against the next run. Idle is the
# server's own CPU time (user + system, from /proc) growing by at most 20 ms in half a second;
# a quick health check alone can pass while both cores still render abandoned pages.
server_cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$SERVER_PID/stat"
}
settle() {
  local last now
  last=$(server_cpu_ms)
  for _ in $(seq 1 120); do
    sleep 0.5
    now=$(server_cpu_ms)
    [ $(( now - last )) -le 20 ] && return 0
    last=$now
  done
  echo "  (the server was still busy after a minute)" >&2
}

# "met" when the figure $1 (a whole or decimal number) is at most the target $2.
meets() { if awk -v v="$1" -v t="$2" 'BEGIN { exit !(v <= t) }'; then echo "met"; else echo "not met"; fi; }

run_wrk() { # name label clients [key]
  settle
  local out
  out=$(BENCH_TARGETS="$TARGETS/$1.lua" wrk -t"$(( $3 < 2 ? $3 : 2 ))" -c"$3" -d"${SECONDS_EACH}s" --timeout 10s \
    -s scripts/bench/wrk.lua "$BASE" | sed -n 's/^RESULT //p')
  read -r rps p50 p99 errors total <<<"$out"
  printf '  %-28s %7s %9s %9s %9s %7s\n' "$2" "$3" "$rps" "$p50" "$p99" "$errors"
  echo "${4:-$1} $3 $p99 $rps $p50" >>"$TARGETS/p99"
}

# "met" when the figure $1 is at least the target $2.
at_least() { if awk -v v="$1" -v t="$2" 'BEGIN { exit !(v >= t) }'; then echo "met"; else echo "not met"; fi; }

# Figure $3 (3 p99, 4 req/s, 5 p50) of run $1 at $2 clients.
figure() { awk -v k="$1" -v c="$2" -v f="$3" '$1 == k && $2 == c { print $f }' "$TARGETS/p99"; }

bench_backend() { # label url
  step "$1: $EPISODES episodes — wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), 2 threads, ${SECONDS_EACH} s per run, $BASE"
  start_server "$2"
  TARGETS="$BENCH_DIR/targets-$1" && mkdir -p "$TARGETS" && : >"$TARGETS/p99"
  write_targets "$TARGETS"
  # The ceiling Today is measured against: the same server answering a copy of a coach's
  # Today page from memory (started again with it; the sessions stay in the database).
  curl -s -H "Cookie: $(head -1 "$TARGETS/coach-cookies")" -H "Accept: text/html" "$BASE/today" >"$TARGETS/today.html"
  stop_server
  BENCH_PAGE="$TARGETS/today.html" start_server "$2"
  # Warm the caches (the disk's, the server's record cache) for every page before measuring:
  # a cold branch dashboard reads a thousand episodes from disk for each page.
  for target in today episode rest-list rest-episode branch; do
    BENCH_TARGETS="$TARGETS/$target.lua" wrk -t2 -c25 -d5s --timeout 30s -s scripts/bench/wrk.lua "$BASE" >/dev/null
  done
  printf '  %-28s %7s %9s %9s %9s %7s\n' "page" "clients" "req/s" "p50 ms" "p99 ms" "errors"
  # One client: the time the server takes for one page, with no queue in front of it.
  for clients in 1 50 200; do
    run_wrk today "Today page" "$clients"
    run_wrk episode "Episode page" "$clients"
    run_wrk rest-list "GET /api/v1/episodes" "$clients"
    run_wrk rest-episode "GET /api/v1/episodes/{id}" "$clients"
    run_wrk branch "Branch dashboard" "$clients"
  done
  run_wrk static-page "Today's copy, from memory" 200
  # 200 signed-in coaches who each read Today about once a second (0.5–1.5 s between a page
  # and the next): about 200 pages a second offered, so the latency is the server's time
  # plus what little queue such a load makes.
  BENCH_PACE_MS=1000 run_wrk today "Today, each client 1/s" 200 today-paced
  # The release's JS file (what a phone fetches once per release) and the health check (the
  # least a request can cost here), at 50 clients.
  run_wrk static-js "GET /pkg/reengage.….js (br)" 50
  run_wrk healthz "GET /healthz" 50
  # Writes: 200 coaches each logging an attempt about every 2 s for 60 s.
  settle
  python3 scripts/bench/writes.py "$BASE" "$TARGETS/coach-cookies" 200 "${BENCH_WRITE_SECONDS:-60}" 2 100
  local today today_rps paced static_rps branch_p50 branch_rps ratio
  today=$(figure today 200 3)
  today_rps=$(figure today 200 4)
  paced=$(figure today-paced 200 3)
  static_rps=$(figure static-page 200 4)
  branch_p50=$(figure branch 1 5)
  branch_rps=$(figure branch 200 4)
  ratio=$(awk -v t="$today_rps" -v s="$static_rps" 'BEGIN { printf "%.1f", (s > 0 ? 100 * t / s : 0) }')
  echo "  Today, 200 clients that never pause: $today_rps pages/s (target ≥ 2,000: $(at_least "$today_rps" 2000)), p99 $today ms (target ≤ 150 ms: $(meets "$today" 150))"
  echo "  Today, 200 clients each reading about once a second: p99 $paced ms (target ≤ 5 ms: $(meets "$paced" 5))"
  echo "  Today against the same page from memory at 200 clients: $today_rps ÷ $static_rps pages/s = $ratio % (aim ≥ 15 %: $(at_least "$ratio" 15))"
  echo "  Branch dashboard, one client: p50 $branch_p50 ms (target ≤ 5 ms: $(meets "$branch_p50" 5)); 200 clients: $branch_rps req/s (target ≥ 500: $(at_least "$branch_rps" 500))"
  echo "  (wrk and the server share this machine's two cores; when every client always waits on an"
  echo "  answer, latency at N clients is about N ÷ requests/s, whatever the server's own time;"
  echo "  one client shows the server's own time)"
}

# Instructions per page: the server under `valgrind --tool=callgrind`, instrumented only while
# it answers CALLGRIND_PAGES (20) requests for one page in a row after 5 to warm it, the
# count of every thread divided by the pages. Counted, not timed: the same on a busy machine,
# so a change's cost compares across runs and machines. Uses the cookies of the run before.
CALLGRIND_PAGES="${CALLGRIND_PAGES:-20}"
callgrind_pages() { # label url
  step "$1: instructions per page (valgrind --tool=callgrind, $CALLGRIND_PAGES pages each after 5 to warm)"
  local out="$BENCH_DIR/callgrind-$1" pid total
  rm -f "$out".*
  DATABASE_URL="$2" REENGAGE_ADDR="127.0.0.1:$PORT" REENGAGE_LOG=warn \
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out.%p" "$BIN" serve \
    2>"$out.log" &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "$BASE/healthz" >/dev/null || { echo "  the server did not start under valgrind" >&2; stop_server; return 0; }
  while read -r name cookie path; do
    for _ in $(seq 1 5); do curl -fs -o /dev/null -H "Cookie: $cookie" "$BASE$path"; done
    callgrind_control -i on "$SERVER_PID" >/dev/null
    callgrind_control -z "$SERVER_PID" >/dev/null
    for _ in $(seq 1 "$CALLGRIND_PAGES"); do
      curl -fs -o /dev/null -H "Cookie: $cookie" "$BASE$path" || echo "  $path failed under valgrind" >&2
    done
    callgrind_control --dump="$name" "$SERVER_PID" >/dev/null
    callgrind_control -i off "$SERVER_PID" >/dev/null
    total=$(ls -t "$out".* | grep -v '\.log$' | head -1 | xargs sed -n 's/^summary: *//p;s/^totals: *//p' | head -1)
    printf '  %-28s %14s instructions per page\n' "$name ($path)" \
      "$(awk -v t="$total" -v n="$CALLGRIND_PAGES" 'BEGIN { printf "%\047d", t / n }')"
  done <"$TARGETS/callgrind"
  stop_server
}

# SQLite: load once per key, then reuse.
SQLITE_DB="$BENCH_DIR/sqlite-$KEY.db"
if [ ! -f "$SQLITE_DB.loaded" ]; then
  rm -f "$BENCH_DIR"/sqlite-*.db* 
  step "loading $EPISODES episodes into SQLite"
  DATABASE_URL="sqlite:$SQLITE_DB" REENGAGE_LOG=warn "$BIN" demo --episodes "$EPISODES" | tail -n 4
  touch "$SQLITE_DB.loaded"
fi
bench_backend SQLite "sqlite:$SQLITE_DB"
stop_server
callgrind_pages SQLite "sqlite:$SQLITE_DB"
start_server "sqlite:$SQLITE_DB"

# What a phone downloads, and Lighthouse on Today and an episode (SQLite's server).
step "sizes"
scripts/sizes.sh
wasm_file=$(ls -t target/site/pkg/reengage*.wasm | head -1)
wasm_gzip=$(gzip -9c "$wasm_file" | wc -c)
wasm_br=$(brotli -c "$wasm_file" | wc -c)
css_gzip=$(gzip -9c "$(ls -t target/site/pkg/reengage*.css | head -1)" | wc -c)
echo "  wasm, gzip: $wasm_gzip bytes (target ≤ 150,000: $(meets "$wasm_gzip" 150000)); brotli: $wasm_br bytes (target ≤ 125,000: $(meets "$wasm_br" 125000))"
echo "  CSS, gzip: $css_gzip bytes (target ≤ 30,000: $(meets "$css_gzip" 30000))"
# What the wasm is made of: its 20 largest items (twiggy, from crates.io), on the same release
# build with its function names kept (the served file is stripped and then shrunk by
# wasm-opt, so the sizes here are before wasm-opt's pass).
if ! command -v twiggy >/dev/null 2>&1; then
  step "installing twiggy (cargo install, once)"
  cargo install twiggy >/dev/null 2>&1 || cargo install --locked twiggy
fi
step "wasm: the 20 largest items (twiggy top, names kept, before wasm-opt)"
names="$BENCH_DIR/wasm-names"
CARGO_PROFILE_WASM_RELEASE_STRIP=false cargo build -q -p reengage-app --lib --target wasm32-unknown-unknown \
  --profile wasm-release --no-default-features --features hydrate --target-dir "$names/target"
wasm-bindgen --target web --out-dir "$names/bindgen" "$names/target/wasm32-unknown-unknown/wasm-release/reengage_app.wasm"
twiggy top -n 20 "$names/bindgen/reengage_app_bg.wasm"

read -r cookie episode_path <"$TARGETS/lighthouse"
html=$(mktemp)
curl -s -H "Cookie: $cookie" -H "Accept: text/html" "$BASE/today" >"$html"
printf '%-22s %10s %10s %10s\n' "Today page HTML" "$(wc -c <"$html")" "$(gzip -9c "$html" | wc -c)" "$(brotli -c "$html" | wc -c)"
rm -f "$html"

step "Lighthouse $LIGHTHOUSE_VERSION, mobile (its simulated slow 4G and 4x CPU slowdown), $LIGHTHOUSE_RUNS runs each"
for page in "Today:/today" "Episode page:$episode_path"; do
  label="${page%%:*}" path="${page#*:}" reports=()
  for run in $(seq 1 "$LIGHTHOUSE_RUNS"); do
    report="$BENCH_DIR/lighthouse-${label// /-}-$run.json"
    CHROME_PATH=/usr/bin/chromium "$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse" "$BASE$path" \
      --quiet --output=json --output-path="$report" \
      --only-categories=performance,accessibility --form-factor=mobile \
      --extra-headers="{\"Cookie\":\"$cookie\"}" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
      >/dev/null 2>&1 || { echo "  Lighthouse failed on $path" >&2; continue; }
    reports+=("$report")
  done
  [ "${#reports[@]}" -gt 0 ] && python3 scripts/bench/lighthouse.py "$label" "${reports[@]}"
done
stop_server

# PostgreSQL, when one answers: a database per key, kept.
if [ "${BENCH_POSTGRES:-1}" = 0 ]; then
  step "BENCH_POSTGRES=0: measured on SQLite only"
elif pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  PG="postgres://postgres@127.0.0.1:5432"
  NAME="reengage_bench_$KEY"
  psql_admin() { psql -q -X -At "$PG/postgres" -c "$1"; }
  if [ -z "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$NAME'")" ]; then
    for old in $(psql_admin "SELECT datname FROM pg_database WHERE datname LIKE 'reengage_bench_%'"); do
      psql_admin "DROP DATABASE $old WITH (FORCE)"
    done
    step "loading $EPISODES episodes into PostgreSQL"
    psql_admin "CREATE DATABASE ${NAME}_loading"
    DATABASE_URL="$PG/${NAME}_loading" REENGAGE_LOG=warn "$BIN" demo --episodes "$EPISODES" | tail -n 4
    psql_admin "ALTER DATABASE ${NAME}_loading RENAME TO $NAME"
  fi
  bench_backend PostgreSQL "$PG/$NAME"
  stop_server
else
  step "PostgreSQL does not answer on 127.0.0.1:5432: measured on SQLite only"
fi
