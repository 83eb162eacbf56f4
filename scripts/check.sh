#!/usr/bin/env bash
# The fast inner loop's first half: the formatting check and the clippy runs of `make test`,
# without building or running any test. Installs nothing heavy: rustfmt, clippy and the
# wasm32 target are added if missing (seconds); nothing else is needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$REPO_ROOT/scripts/stages.sh"
trap step_times EXIT
cd "$REPO_ROOT"

if ! command -v rustup >/dev/null 2>&1; then
  echo "rustup is not on PATH: make check needs Rust installed with rustup." >&2
  exit 1
fi
cargo fmt --version >/dev/null 2>&1 || { step "adding rustfmt"; rustup component add rustfmt; }
cargo clippy --version >/dev/null 2>&1 || { step "adding clippy"; rustup component add clippy; }
add_wasm_target

lint
