#!/usr/bin/env bash
# Install (idempotently) Debian's Apertium APy server with the English–Spanish pair, start it on
# 127.0.0.1 on a free port in the background, wait until /listPairs answers, and print its URL:
#
#   export DUIZHAO_APY_URL=$(src-tauri/crates/duizhao-translate/scripts/apertium-apy.sh)
#   cargo test -p duizhao-translate -- --ignored
#
# Progress goes to stderr, only the URL to stdout. The server's PID is in $APY_DIR/apy.pid
# (default /tmp/duizhao-apy); stop it with `kill "$(cat /tmp/duizhao-apy/apy.pid)"`.
set -euo pipefail

APY_DIR=${APY_DIR:-/tmp/duizhao-apy}
PKGS=(apertium-apy apertium-eng-spa curl)
log() { echo "apertium-apy.sh: $*" >&2; }

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log "installing ${missing[*]}"
  if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    $SUDO apt-get update >&2
    $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
fi

# Where Debian keeps the language-pair modes (apertium-eng-spa installs eng-spa.mode here).
PAIRS_DIR=${PAIRS_DIR:-/usr/share/apertium/modes}
[ -f "$PAIRS_DIR/eng-spa.mode" ] || { log "no eng-spa.mode in $PAIRS_DIR"; exit 1; }

# Reuse a server this script started before, if it still answers.
mkdir -p "$APY_DIR"
if [ -f "$APY_DIR/apy.pid" ] && [ -f "$APY_DIR/url" ] && kill -0 "$(cat "$APY_DIR/apy.pid")" 2>/dev/null; then
  url=$(cat "$APY_DIR/url")
  if curl -fsS --max-time 2 "$url/listPairs" >/dev/null 2>&1; then
    log "already running at $url"
    echo "$url"
    exit 0
  fi
fi

# A free port: ask the kernel for one.
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

# Debian's package (dpkg -L apertium-apy) ships /usr/bin/apertium-apy, an entry point for
# apertium_apy.apy:main, started by its systemd unit as `apertium-apy /usr/share/apertium/modes`.
# APy 0.11 has no bind-address option (Tornado binds every interface), so we start the same
# main() with Tornado's bind pinned to 127.0.0.1: nothing is exposed beyond loopback.
# sys.argv is set before the import because APy captures it in a default argument; Debian's
# /usr/bin/python3 is used because that is where the package installed its modules.
log "starting APy on 127.0.0.1:$port (pairs from $PAIRS_DIR)"
cd "$APY_DIR"
nohup /usr/bin/python3 - "$port" "$PAIRS_DIR" >"$APY_DIR/apy.log" 2>&1 <<'PY' &
import sys
port, pairs = sys.argv[1], sys.argv[2]
sys.argv = ["apertium-apy", "--port", port, "--lang-names", "/usr/share/apertium-apy/langNames.db", pairs]
import tornado.tcpserver
_bind = tornado.tcpserver.TCPServer.bind
def _loopback_bind(self, port, address=None, *args, **kwargs):
    return _bind(self, port, "127.0.0.1", *args, **kwargs)
tornado.tcpserver.TCPServer.bind = _loopback_bind
from apertium_apy.apy import main
main()
PY
echo $! >"$APY_DIR/apy.pid"
cd - >/dev/null
url="http://127.0.0.1:$port"
echo "$url" >"$APY_DIR/url"

# Wait (bounded: 60 × 0.5 s) for /listPairs to list eng→spa.
for _ in $(seq 1 60); do
  if curl -fsS --max-time 2 "$url/listPairs" 2>/dev/null | grep -q '"spa"'; then
    log "ready at $url"
    echo "$url"
    exit 0
  fi
  if ! kill -0 "$(cat "$APY_DIR/apy.pid")" 2>/dev/null; then
    log "APy exited; log follows"; cat "$APY_DIR/apy.log" >&2; exit 1
  fi
  sleep 0.5
done
log "APy did not answer /listPairs within 30 s; log follows"
cat "$APY_DIR/apy.log" >&2
exit 1
