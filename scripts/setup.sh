#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing. Idempotent: each step
# checks first and skips what is already present.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

add_wasm_target

if [[ "$(cargo leptos --version 2>/dev/null)" != *" 0.3.6"* ]]; then
  step "installing cargo-leptos 0.3.6 (about 11 minutes, once)"
  cargo install --locked cargo-leptos --version 0.3.6
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock (cargo-leptos uses the
# one on PATH and downloads nothing). Not --locked: one of its locked versions is missing
# from the registry here.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]]; then
  step "installing wasm-bindgen-cli $want"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

if ! command -v chromium >/dev/null 2>&1; then
  step "installing Chromium from apt"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

# Playwright, axe-core and wasm-opt (npm binaryen: Debian's is too old for the release build).
# A stamp of the lock file's hash says which lock node_modules was installed from.
stamp=end2end/node_modules/.installed-from-lock
lock_hash=$(sha256sum end2end/package-lock.json | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]]; then
  step "installing npm packages in end2end/"
  (cd end2end && npm ci --no-audit --no-fund)
  echo "$lock_hash" >"$stamp"
fi

# Schemathesis fuzzes the REST API from its OpenAPI document (make test). A pinned version in
# a virtual environment beside the build cache.
SCHEMATHESIS_VERSION=4.32.5
if [[ "$("$SCHEMATHESIS_VENV/bin/schemathesis" --version 2>/dev/null)" != *"$SCHEMATHESIS_VERSION"* ]]; then
  step "installing schemathesis $SCHEMATHESIS_VERSION (PyPI) in $SCHEMATHESIS_VENV"
  python3 -m venv "$SCHEMATHESIS_VENV"
  "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# aiosmtpd is the real SMTP server the morning digest's tests start on loopback
# (server/tests/it/digest.rs). A pinned version in a virtual environment beside the build cache.
AIOSMTPD_VERSION=1.4.6
if [[ "$("$SMTP_VENV/bin/python" -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null)" != "$AIOSMTPD_VERSION" ]]; then
  step "installing aiosmtpd $AIOSMTPD_VERSION (PyPI) in $SMTP_VENV"
  python3 -m venv "$SMTP_VENV"
  "$SMTP_VENV/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
fi
