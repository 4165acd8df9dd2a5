#!/usr/bin/env bash
# Installs what Duizhao needs on Debian/Ubuntu, idempotently: system libraries for Tauri
# (WebKitGTK), the UI's npm packages, and with --tests the test tools (Xvfb, WebKitWebDriver,
# Chromium, tauri-driver, the e2e client, desktop-file-validate). Safe to run again: it skips
# what is present.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WITH_TESTS=0
[[ "${1:-}" == "--tests" ]] && WITH_TESTS=1

SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"

PKGS=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev
      libxdo-dev pkg-config build-essential file curl fonts-noto-cjk)
if [[ $WITH_TESTS -eq 1 ]]; then
  PKGS+=(xvfb xauth webkit2gtk-driver chromium python3-venv desktop-file-utils)
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

command -v cargo >/dev/null || { echo "setup: Rust is required (https://rustup.rs)" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: Node.js 20.19+ with npm is required" >&2; exit 1; }

npm_install() { # dir: install from the lock file unless node_modules is already current
  local dir=$1
  if [[ ! -f "$dir/node_modules/.package-lock.json" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}
npm_install "$ROOT/ui"

if [[ $WITH_TESTS -eq 1 ]]; then
  npm_install "$ROOT/tests/e2e"
  if ! command -v tauri-driver >/dev/null; then
    echo "setup: installing tauri-driver" >&2
    cargo install tauri-driver --locked --quiet >&2
  fi
fi
