# The two commands of the README, run and test, each installing what is missing first; then
# the quicker commands for while you work.
.PHONY: run test check quick e2e setup sizes bench

run:   ## build the release app and serve it at http://127.0.0.1:3000
	@scripts/run.sh

test:  ## every check and test: fmt, clippy, native + wasm tests, release build, Playwright, fuzz; time per stage
	@scripts/test.sh

check: ## fmt --check and the clippy runs of `make test`; no build, no tests, installs nothing heavy
	@scripts/check.sh

quick: ## the native Rust tests of core, app and server (SQLite and PostgreSQL) less the slow load, crash and scale tests
	@scripts/quick.sh

e2e:   ## release build, then Playwright: every spec, or SPEC=end2end/tests/NAME.spec.ts (several, space-separated)
	@scripts/e2e.sh $(SPEC)

setup: ## only install what is missing
	@scripts/setup.sh

sizes: ## print the release wasm, JS and CSS sizes (after a release build)
	@scripts/sizes.sh

bench: ## release build, 100,000 episodes, wrk at 50 and 200 clients, sizes, Lighthouse (not in test)
	@scripts/bench.sh
