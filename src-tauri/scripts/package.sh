#!/usr/bin/env bash
# Builds the release app and its Linux packages with the Tauri bundler (README's install
# command) and prints the absolute path of each package it made, one per line (progress goes
# to stderr, so `sudo apt install "$(package.sh | grep '\.deb$')"` works).
#
# Packages: .deb and .rpm, which the bundler writes itself, offline. AppImage is left out: its
# bundler downloads linuxdeploy and its plugins at build time.
#
# --debug-build: package the debug build already made by tests/run.sh (`cargo test` with
# --features duizhao-app/custom-protocol) as a .deb only, building nothing: CI checks the
# package's contents without a second, release build.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PROFILE=release
[[ "${1:-}" == "--debug-build" ]] && PROFILE=debug
"$ROOT/src-tauri/scripts/setup.sh"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$CARGO_TARGET_DIR"
CARGO_TARGET_DIR=$(cd "$CARGO_TARGET_DIR" && pwd)
out="$CARGO_TARGET_DIR/$PROFILE"

# The Tauri CLI runs from the project root, where it finds src-tauri/; the UI folder is named
# because it would otherwise take the first package.json it meets (tests/e2e's). It runs the
# UI build there (beforeBuildCommand).
cd "$ROOT"
tauri() { TAURI_FRONTEND_PATH="$ROOT/ui" ui/node_modules/.bin/tauri "$@" >&2; }

if [[ $PROFILE == release ]]; then
  # `dz` is built by the same cargo run as the app (the arguments after `--`), so the
  # workspace's features are resolved once.
  tauri build --ci --no-bundle -- -p duizhao-app -p duizhao-cli
  # Packages ship binaries without symbols, as Debian's own do (a third of the size); the
  # workspace profile keeps them because changing it would rebuild every crate.
  strip "$out/duizhao" "$out/dz"
  bundles=deb,rpm
  flags=()
else
  bundles=deb
  flags=(--debug)
fi

# dz goes into the packages as /usr/bin/dz; only this script knows where the target folder is.
files=$(printf '{"files": {"/usr/bin/dz": "%s"}}' "$out/dz")
config=$(printf '{"bundle": {"linux": {"deb": %s, "rpm": %s}}}' "$files" "$files")
stamp=$(mktemp)
trap 'rm -f "$stamp"' EXIT
tauri bundle --ci "${flags[@]}" --bundles "$bundles" --config "$config"

dirs=()
for format in ${bundles//,/ }; do dirs+=("$out/bundle/$format"); done
made=$(find "${dirs[@]}" -maxdepth 1 -type f \( -name '*.deb' -o -name '*.rpm' \) -newer "$stamp" | sort)
if [[ -z "$made" ]]; then
  echo "package: the bundler reported success but made no .deb or .rpm" >&2
  exit 1
fi
printf '%s\n' "$made"
