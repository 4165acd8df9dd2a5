#!/usr/bin/env bash
# Sets up and runs every Duizhao test (README's test command; .ci/run calls exactly this).
# Order: static checks, Rust tests (unit, integration, CLI, command layer), tests needing a
# reference program (OpenCC from PyPI, Apertium APy from Debian), UI component tests in
# headless Chromium, then the real app end to end under Xvfb.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
# A persistent build folder outside the clone keeps CI's Tauri build warm between runs.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/duizhao-target}
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*" >&2; }

step "setup"
src-tauri/scripts/setup.sh --tests

step "ui: build and type check"
npm --prefix ui run build --silent >&2
npm --prefix ui run check --silent

# The app embeds ui/dist (custom-protocol) so the e2e binary needs no dev server; every cargo
# invocation uses the same features so the workspace is built once.
FEATURES=(--features duizhao-app/custom-protocol)

step "rust: fmt and clippy"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets "${FEATURES[@]}" --quiet -- -D warnings

step "rust: tests"
cargo test --workspace "${FEATURES[@]}"

step "rust: tests against reference programs"
# Servers started for these tests (Apertium APy, coldsweat) are stopped when the script exits;
# each test-env.sh records its server's PID in one of these files.
stop_servers() {
  local pidfile
  for pidfile in /tmp/duizhao-apy/apy.pid /tmp/duizhao-coldsweat/coldsweat.pid; do
    [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
}
trap stop_servers EXIT
extra_env=()
for script in src-tauri/crates/*/scripts/test-env.sh; do
  [[ -x "$script" ]] || continue
  while IFS= read -r line; do extra_env+=("$line"); done < <("$script")
done
if [[ ${#extra_env[@]} -gt 0 ]]; then
  env "${extra_env[@]}" cargo test --workspace "${FEATURES[@]}" -- --ignored
fi

step "ui: component tests (headless Chromium)"
npm --prefix ui test --silent

step "end to end (real app, tauri-driver, Xvfb)"
DUIZHAO_APP_BINARY="$CARGO_TARGET_DIR/debug/duizhao" xvfb-run -a -s "-screen 0 1280x800x24" \
  npm --prefix tests/e2e test --silent

step "package: a .deb of the debug build above, its contents checked"
# Packages the binaries the tests used (no second, release build) and checks what a desktop
# needs: both commands, the launcher's fields, the icons, the WebKitGTK/GTK dependencies.
src-tauri/scripts/package.sh --debug-build | tests/package/check-deb.sh
