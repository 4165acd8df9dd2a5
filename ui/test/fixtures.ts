// IPC replies shaped exactly like the Rust types (checked by the bindings' types).
import type { Article, ArticleSummary, Feed, ProviderView } from '../src/lib/bindings';

export const summary: ArticleSummary = {
  id: 1,
  title: '王毅見俄外長：推動全球治理更「公平合理」',
  url: 'https://www.dw.com/zh/a-66850097',
  feed_id: null,
  published: '2023-09-19T02:17:02Z',
  lang: 'zh-Hant',
  read: false,
  starred: false,
};

export const article: Article = {
  id: 1,
  title: summary.title,
  url: summary.url,
  published: summary.published,
  lang: 'zh-Hant',
  feed_id: null,
  read: false,
  starred: false,
  blocks: [
    // Served by the test's own Vite server: a 404, like an image that cannot load offline.
    { kind: 'image', text: '', html: '<img src="/missing-image.jpg">', src: '/missing-image.jpg', size: [800, 400] },
    { kind: 'caption', text: '王毅9月18日出訪俄羅斯。', html: '王毅9月18日出訪俄羅斯。', lang: 'zh-Hant' },
    {
      kind: 'paragraph',
      text: '（德國之聲中文網）中國外交部長王毅近期行程滿檔。',
      html: '（德國之聲中文網）中國外交部長王毅<a href="https://api.dw.com/x" rel="noopener noreferrer nofollow">近期行程</a>滿檔。',
      lang: 'zh-Hant',
    },
    { kind: 'heading', text: '王毅說法暗批美？', html: '<strong>王毅說法暗批美？</strong>', lang: 'zh-Hant' },
    { kind: 'list_item', text: '一', html: '一' },
    { kind: 'list_item', text: '二', html: '二' },
  ],
};

/** What the core returns for `view: { script: 'hans' }` (text converted, URLs untouched). */
export const articleHans: Article = {
  ...article,
  title: '王毅见俄外长：推动全球治理更「公平合理」',
  lang: 'zh-Hans',
  blocks: article.blocks.map((b, i) =>
    i === 2
      ? {
          ...b,
          text: '（德国之声中文网）中国外交部长王毅近期行程满档。',
          html: '（德国之声中文网）中国外交部长王毅<a href="https://api.dw.com/x" rel="noopener noreferrer nofollow">近期行程</a>满档。',
          lang: 'zh-Hans',
        }
      : b,
  ),
};

/** English for each block of `article` (index → text); the image has none. */
export const english: Record<number, string> = {
  1: 'Wang Yi travelled to Russia on 18 September.',
  2:
    '(DW Chinese) Chinese Foreign Minister Wang Yi has had a packed schedule recently, travelling from one capital to the next, ' +
    'meeting counterparts and heads of state, and giving speeches that set out Beijing’s view of a fairer and more reasonable ' +
    'global order, a theme he returned to again and again over the week.',
  3: 'Is Wang Yi taking a swipe at the US?',
  4: 'One',
  5: 'Two',
};
export const englishTitle = 'Wang Yi meets the Russian foreign minister: making global governance “fairer and more reasonable”';

/** `article` viewed with `to: 'en'` once translated. */
export const articleEn: Article = {
  ...article,
  title_translation: englishTitle,
  blocks: article.blocks.map((b, i) => (english[i] ? { ...b, translation: english[i] } : b)),
};

/** A second and third article in a feed, for j/k and the sidebar. */
export const feedArticles: ArticleSummary[] = [
  {
    id: 2,
    title: 'Die Bahn streikt wieder',
    url: 'https://example.org/bahn',
    feed_id: 10,
    published: '2024-01-10T08:00:00Z',
    lang: 'de',
    read: true,
    starred: true,
    title_translation: 'The railway is on strike again',
  },
  {
    id: 3,
    title: '台灣半導體出口創新高',
    url: 'https://example.tw/chips',
    feed_id: 11,
    published: '2024-01-09T08:00:00Z',
    lang: 'zh-Hant',
    read: false,
    starred: false,
  },
];

export function articleFor(s: ArticleSummary): Article {
  return {
    id: s.id,
    title: s.title,
    url: s.url,
    published: s.published,
    lang: s.lang,
    feed_id: s.feed_id,
    read: s.read,
    starred: s.starred,
    blocks: [{ kind: 'paragraph', text: `${s.title}.`, html: `${s.title}.`, lang: s.lang ?? undefined }],
  };
}

export const feeds: Feed[] = [
  {
    id: 10,
    url: 'https://example.org/feed.xml',
    title: 'Tagesnachrichten',
    site_url: 'https://example.org',
    folder: 'Deutsch',
    unread: 0,
    total: 1,
    full_text: false,
    last_fetched: '2024-01-10T09:00:00Z',
    last_error: null,
    auto_translate: null,
  },
  {
    id: 11,
    url: 'https://example.tw/rss',
    title: '台灣新聞',
    site_url: 'https://example.tw',
    folder: null,
    unread: 1,
    total: 1,
    full_text: true,
    last_fetched: null,
    last_error: 'HTTP 503',
    auto_translate: null,
  },
];

export const providers: ProviderView[] = [
  {
    name: 'deepl',
    label: 'DeepL',
    needs_key: true,
    has_key: true,
    ready: true,
    fields: [
      { key: 'endpoint', label: 'Endpoint', kind: 'url', options: [], required: false, default: 'https://api-free.deepl.com', help: 'Free or Pro API.', value: null },
      { key: 'api_key', label: 'API key', kind: 'secret', options: [], required: true, default: null, help: 'From your DeepL account.', value: null },
      { key: 'formality', label: 'Formality', kind: 'select', options: ['default', 'more', 'less'], required: false, default: 'default', help: '', value: 'less' },
    ],
  },
  {
    name: 'openai',
    label: 'OpenAI-compatible',
    needs_key: true,
    has_key: false,
    ready: false,
    fields: [
      { key: 'endpoint', label: 'Endpoint', kind: 'url', options: [], required: true, default: 'https://api.openai.com/v1', help: '', value: null },
      { key: 'model', label: 'Model', kind: 'text', options: [], required: true, default: 'gpt-4o-mini', help: '', value: 'gpt-4o-mini' },
      { key: 'api_key', label: 'API key', kind: 'secret', options: [], required: true, default: null, help: '', value: null },
      { key: 'concurrency', label: 'Parallel requests', kind: 'number', options: [], required: false, default: '4', help: '', value: null },
    ],
  },
];
