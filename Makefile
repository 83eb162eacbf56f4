# The two commands of the README. Each installs what is missing first.
.PHONY: run test setup sizes bench

run:   ## build the release app and serve it at http://127.0.0.1:3000
	@scripts/run.sh

test:  ## every check and test: fmt, clippy, native + wasm tests, release build, Playwright
	@scripts/test.sh

setup: ## only install what is missing
	@scripts/setup.sh

sizes: ## print the release wasm, JS and CSS sizes (after a release build)
	@scripts/sizes.sh

bench: ## release build, 100,000 episodes, wrk at 50 and 200 clients, sizes, Lighthouse (not in test)
	@scripts/bench.sh
