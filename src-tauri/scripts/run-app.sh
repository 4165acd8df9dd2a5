#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and launches Duizhao (README's "run the app" command).
# The library lives in $DUIZHAO_DATA_DIR, else ~/.local/share/duizhao; a new library starts
# with the bundled seed article.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$ROOT/src-tauri/scripts/setup.sh"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
npm --prefix "$ROOT/ui" run build >&2
cargo build --manifest-path "$ROOT/Cargo.toml" -p duizhao-app --release --features duizhao-app/custom-protocol
exec "$CARGO_TARGET_DIR/release/duizhao" "$@"
