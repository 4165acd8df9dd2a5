#!/usr/bin/env bash
# Install (idempotently) coldsweat 0.10.2 — a real Fever API server, BSD-licensed, from PyPI —
# into a throwaway venv, start it on 127.0.0.1 on a free port in the background with its own
# SQLite database, wait until its Fever endpoint answers, and print two lines:
#
#   DUIZHAO_COLDSWEAT_URL=http://127.0.0.1:PORT/fever    (the Fever endpoint)
#   DUIZHAO_COLDSWEAT_CLI=/tmp/duizhao-coldsweat/coldsweat-cli   (its admin CLI, same database)
#
#   eval "$(src-tauri/crates/duizhao-sync/scripts/coldsweat.sh)"; export DUIZHAO_COLDSWEAT_URL DUIZHAO_COLDSWEAT_CLI
#   cargo test -p duizhao-sync -- --ignored
#
# Progress goes to stderr. The server's PID is in $COLDSWEAT_DIR/coldsweat.pid (default
# /tmp/duizhao-coldsweat); stop it with `kill "$(cat /tmp/duizhao-coldsweat/coldsweat.pid)"`.
set -euo pipefail

COLDSWEAT_DIR=${COLDSWEAT_DIR:-/tmp/duizhao-coldsweat}
VENV=${DUIZHAO_COLDSWEAT_VENV:-/var/tmp/duizhao-coldsweat-venv}
WANT=0.10.2
log() { echo "coldsweat.sh: $*" >&2; }

py="$VENV/bin/python"
if ! { [ -x "$py" ] && "$py" -c "import importlib.metadata as m, sys; sys.exit(m.version('coldsweat') != '$WANT')" 2>/dev/null; }; then
  log "installing coldsweat $WANT into $VENV"
  python3 -m venv "$VENV" >&2
  "$py" -m pip install --quiet --disable-pip-version-check "coldsweat==$WANT" >&2
fi

mkdir -p "$COLDSWEAT_DIR"
# coldsweat's create_app() reads FLASK_-prefixed settings from the environment.
cli="$COLDSWEAT_DIR/coldsweat-cli"
cat >"$cli" <<CLI
#!/usr/bin/env bash
export FLASK_DATABASE_URL="sqlite:///$COLDSWEAT_DIR/coldsweat.db"
export FLASK_SECRET_KEY="duizhao-test-only"
exec "$VENV/bin/coldsweat" "\$@"
CLI
chmod +x "$cli"

answers() { # url: the Fever endpoint answers JSON with an auth field
  curl -fsS --max-time 2 -X POST "$1?api" 2>/dev/null | grep -q '"auth"'
}

# Reuse a server this script started before, if it still answers.
if [ -f "$COLDSWEAT_DIR/coldsweat.pid" ] && [ -f "$COLDSWEAT_DIR/url" ] && kill -0 "$(cat "$COLDSWEAT_DIR/coldsweat.pid")" 2>/dev/null; then
  url=$(cat "$COLDSWEAT_DIR/url")
  if answers "$url"; then
    log "already running at $url"
    echo "DUIZHAO_COLDSWEAT_URL=$url"
    echo "DUIZHAO_COLDSWEAT_CLI=$cli"
    exit 0
  fi
fi

# The schema (and its default group) exists before the server takes requests; a throwaway
# first user makes `setup` create it.
"$cli" setup "init@duizhao.invalid" -p "initial-password-000" >&2 || true

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
log "starting coldsweat on 127.0.0.1:$port"
nohup "$cli" run --host 127.0.0.1 --port "$port" --no-reload >"$COLDSWEAT_DIR/coldsweat.log" 2>&1 &
echo $! >"$COLDSWEAT_DIR/coldsweat.pid"
url="http://127.0.0.1:$port/fever"
echo "$url" >"$COLDSWEAT_DIR/url"

# Wait (bounded: 60 × 0.5 s) for the endpoint.
for _ in $(seq 1 60); do
  if answers "$url"; then
    log "ready at $url"
    echo "DUIZHAO_COLDSWEAT_URL=$url"
    echo "DUIZHAO_COLDSWEAT_CLI=$cli"
    exit 0
  fi
  if ! kill -0 "$(cat "$COLDSWEAT_DIR/coldsweat.pid")" 2>/dev/null; then
    log "coldsweat exited; log follows"; cat "$COLDSWEAT_DIR/coldsweat.log" >&2; exit 1
  fi
  sleep 0.5
done
log "coldsweat did not answer within 30 s; log follows"
cat "$COLDSWEAT_DIR/coldsweat.log" >&2
exit 1
