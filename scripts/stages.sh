# The stages of `make test` that `make check`, `make quick` and `make e2e` also run on their
# own, each defined once here so that the quick commands run exactly the full run's commands.
# Sourced after env.sh, from the repository root.

# make check, make test: formatting, then clippy per package (native, and wasm32 for core
# and for the app's hydrate build).
lint() {
  step "formatting (cargo fmt --check)"
  cargo fmt --all -- --check

  step "lints (clippy -D warnings, per package)"
  cargo clippy -p reengage-core -p reengage-server --all-targets -- -D warnings
  cargo clippy -p reengage-core --target wasm32-unknown-unknown --all-targets -- -D warnings
  cargo clippy -p reengage-app --target wasm32-unknown-unknown --features hydrate -- -D warnings
}

# Says whether the PostgreSQL half of the server tests will run.
postgres_notice() {
  if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    if [ "${REQUIRE_POSTGRES:-0}" = 1 ]; then
      echo "PostgreSQL does not answer on 127.0.0.1:5432 and REQUIRE_POSTGRES=1: the server tests will fail." >&2
    else
      echo "PostgreSQL does not answer on 127.0.0.1:5432: the PostgreSQL half of the server tests is skipped."
    fi
  fi
}

# The native Rust tests of core, app and server; arguments go to the test harness (after --).
native_tests() {
  if [ $# -gt 0 ]; then set -- -- "$@"; fi
  cargo test -p reengage-core -p reengage-app -p reengage-server "$@"
}

# Sums one figure of every `test result:` line in a log: count LOG passed | failed | "filtered out".
count() { grep -E '^test result:' "$1" | sed -E "s/.* ([0-9]+) $2.*/\1/" | awk '{ s += $1 } END { print s + 0 }'; }

# The release build Playwright runs against.
release_build() {
  step "release build (cargo leptos build --release --precompress)"
  cargo leptos build --release --precompress
  "$REPO_ROOT/scripts/precompress.sh"
}

# Playwright in Debian's Chromium, phone and desktop, against the release binary on a free
# port with a throwaway database holding the demo branch. Arguments are Playwright's file
# filters (none: every spec).
browser_tests() {
  export REENGAGE_BIN="$CARGO_TARGET_DIR/release/reengage"
  export LEPTOS_SITE_ROOT="$REPO_ROOT/target/site"
  (cd "$REPO_ROOT/end2end" && npx playwright test "$@")
}

# "passed failed skipped" of the last Playwright run, from its JSON report ("0 1 0" without one).
playwright_counts() {
  node -e '
    const r = require(process.argv[1]);
    console.log(`${r.stats.expected} ${r.stats.unexpected + r.stats.flaky} ${r.stats.skipped}`);
  ' "$REPO_ROOT/end2end/test-results/results.json" 2>/dev/null || echo "0 1 0"
}

# The title and first error line of every Playwright test that did not pass at once, so a
# failed run names what failed in its summary.
playwright_failures() {
  node -e '
    const r = require(process.argv[1]);
    const walk = (suite, trail) => {
      for (const spec of suite.specs ?? []) {
        for (const test of spec.tests ?? []) {
          if (test.status === "expected" || test.status === "skipped") continue;
          const error = (test.results ?? []).flatMap((x) => x.errors ?? []).map((e) => e.message ?? "")[0] ?? "";
          const first = error.replace(/\u001b\[[0-9;]*m/g, "").split("\n").find((l) => l.trim()) ?? "";
          console.log(`  ${test.status}: [${test.projectName}] ${spec.file}:${spec.line} ${[...trail, spec.title].join(" > ")}`);
          if (first) console.log(`    ${first.trim().slice(0, 200)}`);
        }
      }
      for (const child of suite.suites ?? []) walk(child, [...trail, child.title]);
    };
    for (const suite of r.suites ?? []) walk(suite, []);
  ' "$REPO_ROOT/end2end/test-results/results.json" 2>/dev/null || true
}
