// A loopback server standing in for the outside world in end-to-end tests: a feed with the
// seed article (images served here too) and a hostile article, and a LibreTranslate-shaped
// translation endpoint answering from fixtures/seed-en.json. Nothing leaves 127.0.0.1.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';

const root = new URL('../../', import.meta.url);
const seed = readFileSync(new URL('src-tauri/resources/seed/dw-wang-yi-lavrov.md', root), 'utf8');
const dictionary = new Map(
  JSON.parse(readFileSync(new URL('fixtures/seed-en.json', import.meta.url), 'utf8')).map((p) => [p.source, p.target]),
);

export const FEED_TITLE = 'Duizhao test feed';
export const SEED_ITEM_TITLE = '王毅訪俄：中俄外長會談';
export const HOSTILE_TITLE = 'Hostile article';

/** A solid-colour RGB PNG, so stored images have real pixels to check. */
function png(width, height, [r, g, b]) {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const COLOURS = [[70, 110, 160], [160, 110, 70], [90, 140, 90]];

function feed(base) {
  let imageNo = 0;
  const body = seed
    .split('\n------\n')[1]
    .replace(/https:\/\/images\.weserv\.nl\/\?url=static\.dw\.com\/image\/\d+_303\.jpg/g, () => `${base}/img/${imageNo++}.png`);
  const hostile = [
    '<p>Plain words stay readable.</p>',
    '<script>window.__pwned = "script"</script>',
    `<p><img src="${base}/img/missing.png" onerror="window.__pwned = 'onerror'"> after image</p>`,
    '<p><a href="javascript:window.__pwned=\'link\'">a javascript link</a></p>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<svg onload="window.__pwned = \'svg\'"><circle r="4"/></svg>',
  ].join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>${FEED_TITLE}</title>
<link>${base}/</link>
<description>Fixture feed</description>
<item>
  <title>${SEED_ITEM_TITLE}</title>
  <link>${base}/articles/seed-1</link>
  <guid isPermaLink="false">seed-1</guid>
  <pubDate>Tue, 19 Sep 2023 02:17:02 GMT</pubDate>
  <content:encoded><![CDATA[${body}]]></content:encoded>
</item>
<item>
  <title>${HOSTILE_TITLE}</title>
  <link>${base}/articles/hostile-1</link>
  <guid isPermaLink="false">hostile-1</guid>
  <pubDate>Mon, 18 Sep 2023 00:00:00 GMT</pubDate>
  <description><![CDATA[${hostile}]]></description>
</item>
</channel>
</rss>`;
}

export function translateText(text) {
  return dictionary.get(text) ?? `[en] ${text}`;
}

/** Starts the server on a free loopback port; resolves to `{ url, close, requests }`. */
export function startServer() {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const base = `http://127.0.0.1:${server.address().port}`;
    if (req.method === 'GET' && req.url === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(feed(base));
    } else if (req.method === 'GET' && /^\/img\/\d+\.png$/.test(req.url)) {
      const n = Number(req.url.match(/\d+/)[0]);
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(png(320, 180, COLOURS[n % COLOURS.length]));
    } else if (req.method === 'POST' && req.url === '/translate') {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        const body = JSON.parse(data);
        const q = Array.isArray(body.q) ? body.q : [body.q];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ translatedText: q.map(translateText) }));
      });
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      resolve({
        url,
        requests,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** config.toml pointing every translation provider the test may touch at the server. */
export function providerConfig(url) {
  return ['libretranslate', 'edge', 'google-web']
    .map((p) => `[providers.${p}]\nendpoint = "${url}"\n`)
    .join('\n');
}
