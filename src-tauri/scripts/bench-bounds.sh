#!/usr/bin/env bash
# Peak memory and time of the real `dz` against hostile inputs served on 127.0.0.1 (issue 11,
# resource bounds): a 200 MB feed body, a feed whose picture claims 50 megapixels in a tiny
# PNG/JPEG/GIF/WebP (decompression bombs), a 10 MB title, and 100,000 items in one feed.
# A measurement, not a test (the bounds themselves are tested in duizhao-feed's tests/it/bounds.rs
# and tests/integration/feeds.rs with loopback servers); docs/BENCHMARKS.md has the figures.
#
# Usage: src-tauri/scripts/bench-bounds.sh [DZ_BINARY]   (default: a release build of dz)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/duizhao-target}

DZ=${1:-}
if [[ -z "$DZ" ]]; then
  cargo build --quiet --release --manifest-path "$ROOT/Cargo.toml" -p duizhao-cli >&2
  DZ="$CARGO_TARGET_DIR/release/dz"
fi
WORK=$(mktemp -d)
cleanup() { [[ -n "${SERVER:-}" ]] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/www"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The inputs, generated (nothing downloaded): python writes them byte by byte.
python3 - "$WORK/www" "$PORT" <<'EOF'
import struct, sys, zlib, os
d, port = sys.argv[1], sys.argv[2]
def item(i, title="Item", body="<p>Some text.</p>"):
    return f"<item><title>{title} {i}</title><link>http://127.0.0.1:{port}/{i}</link><guid>g{i}</guid><description><![CDATA[{body}]]></description></item>"
def rss(items):
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench</title>'
            f'<link>http://127.0.0.1:{port}/</link>' + items + '</channel></rss>')
# 200 MB: one item whose description never ends.
with open(f"{d}/huge.xml", "w") as f:
    f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title><item><title>x</title><description>')
    chunk = "a" * (1 << 20)
    for _ in range(200):
        f.write(chunk)
    f.write('</description></item></channel></rss>')
# 10 MB title.
with open(f"{d}/title.xml", "w") as f:
    f.write(rss(item(1, title="T" * (10 << 20))))
# 100,000 items.
with open(f"{d}/items.xml", "w") as f:
    f.write(rss("".join(item(i) for i in range(100_000))))
# Pictures that claim 10,000 × 5,000 pixels (50 MP) in a few hundred bytes.
W, H = 10_000, 5_000
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xFFFFFFFF)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"\0" * 4096)) + chunk(b"IEND", b"")
gif = b"GIF89a" + struct.pack("<HH", W, H) + b"\x80\x00\x00" + b"\0" * 6 + b";"
jpg = b"\xff\xd8\xff\xc0\x00\x11\x08" + struct.pack(">HH", H, W) + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01" + b"\xff\xd9"
vp8 = b"\x9d\x01\x2a" + struct.pack("<HH", W & 0x3FFF, H & 0x3FFF)
webp_body = b"WEBP" + b"VP8 " + struct.pack("<I", 10 + len(vp8)) + b"\0" * 3 + vp8 + b"\0" * 7
webp = b"RIFF" + struct.pack("<I", len(webp_body)) + webp_body
# And one honest 1 × 1 PNG, which is stored: the others are refused, not lost by accident.
ok = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
for name, data in [("bomb.png", png), ("bomb.gif", gif), ("bomb.jpg", jpg), ("bomb.webp", webp), ("ok.png", ok)]:
    open(f"{d}/{name}", "wb").write(data)
imgs = "".join(f'<img src="/{n}">' for n in ["bomb.png", "bomb.gif", "bomb.jpg", "bomb.webp", "ok.png"])
with open(f"{d}/bombs.xml", "w") as f:
    f.write(rss(item(1, body=f"<p>Pictures.</p>{imgs}")))
EOF

python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/www" >/dev/null 2>&1 &
SERVER=$!
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT))" 2>/dev/null; do :; done

printf '%-22s %9s %7s  %s\n' "input" "peak RSS" "time" "result"
for case in huge.xml title.xml items.xml bombs.xml; do
  lib="$WORK/lib-$case"
  # /usr/bin/time writes its line last on stderr, after dz's own message.
  /usr/bin/time -f '%M %e' "$DZ" --data-dir "$lib" feed add "http://127.0.0.1:$PORT/$case" \
    >"$WORK/out" 2>"$WORK/err" || true
  read -r kb secs < <(tail -1 "$WORK/err")
  said=$(grep -v '^[0-9]* [0-9.]*$' "$WORK/err" | grep -v '^Command exited' | tail -1 | cut -c1-80 || true)
  if [[ -z "$said" ]]; then
    # What was stored: articles, the longest title, pictures kept offline.
    said=$(python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n, longest = db.execute("SELECT count(*), coalesce(max(length(title)), 0) FROM articles").fetchone()
pics = db.execute("SELECT count(*) FROM images").fetchone()[0]
print(f"stored {n} articles, longest title {longest} chars, {pics} pictures")
' "$lib/duizhao.sqlite3")
  fi
  printf '%-22s %6d MB %6ss  %s\n' "$case ($(du -h "$WORK/www/$case" | cut -f1))" $((kb / 1024)) "$secs" "$said"
done
