# Shared settings for the project's scripts. Sourced, not run.
# The build cache lives outside the clone so a fresh clone on a warm machine reuses it.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reengage/target}"
export PATH="$HOME/.cargo/bin:$REPO_ROOT/end2end/node_modules/.bin:$PATH"
export SCHEMATHESIS_VENV="${SCHEMATHESIS_VENV:-$HOME/.cache/reengage/schemathesis}"
# The SMTP server (aiosmtpd) the digest tests start; scripts/setup.sh installs it.
export SMTP_VENV="${SMTP_VENV:-$HOME/.cache/reengage/smtp}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# Each step's title and the second it began (bash's $SECONDS), for step_times.
STEP_TITLES=()
STEP_STARTS=()
step() {
  STEP_TITLES+=("$*")
  STEP_STARTS+=("$SECONDS")
  printf '\n==> %s\n' "$*"
}

# How many seconds each step took (a step lasts until the next one begins) and the whole run.
# The scripts call it on exit, so a run that stops early still says where its time went.
step_times() {
  local i end count=${#STEP_TITLES[@]}
  [ "$count" -gt 0 ] || return 0
  printf '\n==> seconds per stage\n'
  for ((i = 0; i < count; i++)); do
    end=${STEP_STARTS[i + 1]:-$SECONDS}
    printf '%6d  %s\n' "$((end - STEP_STARTS[i]))" "${STEP_TITLES[i]}"
  done
  printf '%6d  %s\n' "$SECONDS" "in all"
}

# The wasm32 target the app and core are checked and built for. Quick to add, so added.
add_wasm_target() {
  if ! grep -qx wasm32-unknown-unknown <<<"$(rustup target list --installed)"; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}
