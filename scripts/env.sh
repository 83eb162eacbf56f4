# Shared settings for the project's scripts. Sourced, not run.
# The build cache lives outside the clone so a fresh clone on a warm machine reuses it.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reengage/target}"
export PATH="$HOME/.cargo/bin:$REPO_ROOT/end2end/node_modules/.bin:$PATH"
export SCHEMATHESIS_VENV="${SCHEMATHESIS_VENV:-$HOME/.cache/reengage/schemathesis}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }
