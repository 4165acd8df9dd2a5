// IPC replies shaped exactly like the Rust types (checked by the bindings' types).
import type { Article, ArticleSummary } from '../src/lib/bindings';

export const summary: ArticleSummary = {
  id: 1,
  title: '王毅見俄外長：推動全球治理更「公平合理」',
  url: 'https://www.dw.com/zh/a-66850097',
  feed_id: null,
  published: '2023-09-19T02:17:02Z',
  lang: 'zh-Hant',
};

export const article: Article = {
  id: 1,
  title: summary.title,
  url: summary.url,
  published: summary.published,
  lang: 'zh-Hant',
  blocks: [
    // Served by the test's own Vite server: a 404, like an image that cannot load offline.
    { kind: 'image', text: '', html: '<img src="/missing-image.jpg">', src: '/missing-image.jpg' },
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
