// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p duizhao-app bindings` after changing a type.

export type ErrorCode = "not_found" | "not_an_article" | "corrupt_database" | "schema_too_new" | "busy" | "database" | "io" | "invalid_input" | "fetch" | "not_a_feed" | "auth" | "quota" | "rate_limited" | "network" | "timeout" | "bad_reply" | "unsupported" | "config" | "keyring" | "cancelled" | "sync_auth" | "sync_server" | "internal";

export type Failure = { 
/**
 * What kind of failure, for the UI to branch on.
 */
code: ErrorCode, 
/**
 * One line for the reader; never contains a key.
 */
message: string, 
/**
 * The translation provider concerned, when there is one.
 */
provider?: string, };

export type BlockKind = "paragraph" | "heading" | "image" | "caption" | "quote" | "list_item";

export type Block = { 
/**
 * What the block is.
 */
kind: BlockKind, 
/**
 * Plain text (what is detected, translated and searched).
 */
text: string, 
/**
 * Sanitized inline HTML of the block (links, emphasis); never contains scripts.
 */
html: string, 
/**
 * Image URL for image blocks (already unwrapped from image proxies).
 */
src?: string, 
/**
 * The image's original URL when `src` points at the locally stored copy.
 */
remote_src?: string, 
/**
 * BCP-47 language of this block when known (e.g. `zh-Hant`).
 */
lang?: string, 
/**
 * The translation of `text`, when the view asked for one and it exists.
 */
translation?: string, 
/**
 * The translation as HTML with readings over it (`<ruby>`), when the view asked for
 * readings and the translation is Chinese.
 */
translation_html?: string, 
/**
 * Pixel size of an image block's stored copy `[width, height]`, when known: lets the
 * reader reserve the image's space before it loads (no layout shift).
 */
size?: [number, number], };

export type ArticleSummary = { 
/**
 * Library-wide id.
 */
id: number, 
/**
 * Title as published.
 */
title: string, 
/**
 * The article's own URL, when it has one.
 */
url: string | null, 
/**
 * The feed it came from; `None` for saved or imported articles.
 */
feed_id: number | null, 
/**
 * Publication time, RFC 3339 in UTC.
 */
published: string | null, 
/**
 * BCP-47 language of the article (e.g. `zh-Hant`), when known.
 */
lang: string | null, 
/**
 * Whether the reader has opened it.
 */
read: boolean, 
/**
 * Whether the reader starred it.
 */
starred: boolean, 
/**
 * The stored translation of the title into the reader's target language, for
 * bilingual titles in the list.
 */
title_translation?: string, };

export type Article = { 
/**
 * Library-wide id.
 */
id: number, 
/**
 * Title as published (or converted, in a view).
 */
title: string, 
/**
 * The article's own URL, when it has one.
 */
url: string | null, 
/**
 * Publication time, RFC 3339 in UTC.
 */
published: string | null, 
/**
 * BCP-47 language of the article, when known.
 */
lang: string | null, 
/**
 * The feed it came from.
 */
feed_id: number | null, 
/**
 * Whether the reader has opened it.
 */
read: boolean, 
/**
 * Whether the reader starred it.
 */
starred: boolean, 
/**
 * The title's translation, when the view asked for one and it exists.
 */
title_translation?: string, 
/**
 * The title as HTML with readings over it (`<ruby>`), when the view asked for readings and
 * the title is Chinese.
 */
title_html?: string, 
/**
 * The readings the view put over the text (`None` = none).
 */
reading?: ReadingChoice, 
/**
 * The blocks in reading order.
 */
blocks: Array<Block>, };

export type ListFilter = { 
/**
 * Only this feed's articles.
 */
feed_id?: number | null, 
/**
 * Only unread articles.
 */
unread?: boolean, 
/**
 * Only starred articles.
 */
starred?: boolean, 
/**
 * Only articles of the feeds in this folder.
 */
folder?: string | null, };

export type FeedCount = { 
/**
 * The feed.
 */
feed_id: number, 
/**
 * All its articles.
 */
total: number, 
/**
 * Its unread articles.
 */
unread: number, };

export type FolderCount = { 
/**
 * The folder's name.
 */
folder: string, 
/**
 * All articles of its feeds.
 */
total: number, 
/**
 * Unread articles of its feeds.
 */
unread: number, };

export type LibraryCounts = { 
/**
 * Every article.
 */
all: number, 
/**
 * Unread articles.
 */
unread: number, 
/**
 * Starred articles.
 */
starred: number, 
/**
 * Per feed, for every subscribed feed.
 */
feeds: Array<FeedCount>, 
/**
 * Per folder, by name.
 */
folders: Array<FolderCount>, };

export type ImportOutcome = { 
/**
 * The article's id (existing one when it was already in the library).
 */
id: number, 
/**
 * False when the article was already in the library.
 */
created: boolean, 
/**
 * The article's title.
 */
title: string, };

export type ScriptChoice = "original" | "hans" | "hant" | "tw" | "hk";

export type ViewMode = "columns" | "interleaved" | "original" | "translation";

export type ViewOptions = { 
/**
 * The script for Chinese text (original and translation alike).
 */
script?: ScriptChoice, 
/**
 * An explicit OpenCC config applied to every Chinese block instead of `script`
 * (`dz show --script s2twp`).
 */
config?: string | null, 
/**
 * Attach stored translations into this language (BCP-47, e.g. `en`, `zh-Hans`); they are
 * converted to `script` like the original.
 */
to?: string, 
/**
 * Readings over Chinese text (original and Chinese translations), as `<ruby>` in the
 * blocks' HTML; `None` = the article's feed default (off for articles without a feed).
 */
reading?: ReadingChoice, };

export type StartRequest = { 
/**
 * The filter of the source that was shown.
 */
filter: ListFilter, 
/**
 * The article that was open.
 */
article_id?: number | null, 
/**
 * The target language of articles whose feed has no choice of its own (BCP-47).
 */
to?: string, 
/**
 * The reader's target language per feed, keyed by the feed id in decimal (as the
 * window saves it); an empty value means none.
 */
feed_targets?: { [key in string]: string }, };

export type StartView = { 
/**
 * The listed articles, newest first.
 */
articles: Array<ArticleSummary>, 
/**
 * True when the saved source listed nothing (a feed since removed, say) and `articles`
 * is the whole library instead.
 */
whole_library: boolean, 
/**
 * The open article: the saved one when it is listed, else the list's first; `None` when
 * nothing is listed.
 */
article_id: number | null, 
/**
 * That article as the reader sees it (its feed's script and target language).
 */
article: Article | null, 
/**
 * Why the article could not be shown, when it could not (it stays selected).
 */
article_error: Failure | null, 
/**
 * The script it is shown in (its feed's choice, else the global one).
 */
script: ScriptChoice, 
/**
 * The target language it is shown with.
 */
to: string | null, };

export type Feed = { 
/**
 * Library-wide id.
 */
id: number, 
/**
 * The feed document's URL.
 */
url: string, 
/**
 * Title (from the feed, or set by the reader).
 */
title: string, 
/**
 * The site the feed belongs to.
 */
site_url: string | null, 
/**
 * Folder name; `None` = top level.
 */
folder: string | null, 
/**
 * Unread articles.
 */
unread: number, 
/**
 * All articles.
 */
total: number, 
/**
 * Fetch full text with the extractor when items are only summaries.
 */
full_text: boolean, 
/**
 * Last successful fetch, RFC 3339.
 */
last_fetched: string | null, 
/**
 * The last refresh's error, if it failed (stored articles are kept).
 */
last_error: string | null, 
/**
 * The language its new articles are translated into after each refresh (`None` = off).
 */
auto_translate: string | null, };

export type FeedOptions = { 
/**
 * The title shown.
 */
title: string, 
/**
 * True when the reader chose the title; false when it follows the feed's own (a refresh
 * updates it). Saving with false (or an empty title) goes back to the feed's own title.
 */
custom_title: boolean, 
/**
 * Folder name; `None` (or empty) = top level.
 */
folder: string | null, 
/**
 * Fetch each item's page and extract the full text when items are only summaries.
 */
full_text: boolean, 
/**
 * This feed's own refresh interval in minutes; `None` = the library default.
 */
interval_min: number | null, 
/**
 * CSS selectors of elements removed from this feed's new articles before sanitizing.
 */
remove: Array<string>, 
/**
 * Translate this feed's new articles into this language (BCP-47, one of the languages
 * the app offers) after each refresh; `None` = off.
 */
auto_translate: string | null, 
/**
 * Readings shown over this feed's Chinese articles when they are opened (the reader's
 * toolbar can still change them).
 */
reading?: ReadingChoice, 
/**
 * The cleaning every feed gets, always on (read only: ignored when saving).
 */
builtin?: Array<string>, };

export type FeedSettings = { 
/**
 * Minutes between automatic checks of a feed (a feed's own interval wins).
 */
interval_min: number, 
/**
 * Feeds checked at once.
 */
concurrency: number, 
/**
 * Delete read, unstarred articles older than this many days after each refresh.
 */
retention_days: number | null, 
/**
 * Download article images for offline reading.
 */
download_images: boolean, 
/**
 * Largest feed or page accepted, in bytes (after decompression).
 */
max_feed_bytes: number, 
/**
 * Largest image stored, in bytes.
 */
max_image_bytes: number, 
/**
 * Longest silence from a server while reading its answer, in milliseconds.
 */
idle_timeout_ms: number, 
/**
 * Longest time for one whole fetch, in milliseconds.
 */
total_timeout_ms: number, 
/**
 * Most new items stored from one feed per refresh (the newest); the rest wait for the
 * next refresh, so a hostile or runaway feed cannot flood the library.
 */
max_items_per_refresh: number, 
/**
 * Most bytes of pictures stored from one feed per refresh.
 */
max_image_bytes_per_feed: number, 
/**
 * Longest time one feed may take in a refresh (fetch, full text, pictures), in
 * milliseconds; other feeds are not held up by a slow one.
 */
feed_deadline_ms: number, 
/**
 * Longest article (characters of title and text) auto-translation sends; longer ones are
 * left for the reader to translate by hand, so a huge article cannot use up a paid key.
 */
auto_translate_max_article_chars: number, 
/**
 * Most characters one auto-translation pass (after one refresh) sends in all.
 */
auto_translate_max_pass_chars: number, };

export type RefreshProgress = { 
/**
 * The feed just finished.
 */
feed_id: number, 
/**
 * Its title.
 */
title: string, 
/**
 * Feeds finished so far.
 */
done: number, 
/**
 * Feeds in this refresh.
 */
total: number, 
/**
 * Articles added from this feed.
 */
new_articles: number, 
/**
 * Why this feed failed, if it did (typed, so the UI can offer the right action).
 */
error: Failure | null, };

export type FeedFailure = { 
/**
 * The feed.
 */
feed_id: number, 
/**
 * Its URL.
 */
url: string, 
/**
 * What kind of failure (`fetch`, `not_a_feed`, …), so the UI can offer the right action.
 */
code: ErrorCode, 
/**
 * What went wrong, in one line.
 */
message: string, };

export type RefreshSummary = { 
/**
 * Feeds checked.
 */
feeds: number, 
/**
 * Feeds that answered 304 Not Modified.
 */
not_modified: number, 
/**
 * Articles added.
 */
new_articles: number, 
/**
 * Feeds that failed (their stored articles are untouched).
 */
failed: Array<FeedFailure>, 
/**
 * Read, unstarred articles deleted afterwards by the retention setting.
 */
expired: number, };

export type OpmlImportSummary = { 
/**
 * Feeds subscribed.
 */
added: number, 
/**
 * Feeds already subscribed.
 */
skipped: number, };

export type SearchHit = { 
/**
 * The article.
 */
id: number, 
/**
 * Its title.
 */
title: string, 
/**
 * Its feed, if any.
 */
feed_id: number | null, 
/**
 * Publication time, RFC 3339.
 */
published: string | null, 
/**
 * A short excerpt around the match, HTML-escaped, matches wrapped in `<mark>`.
 */
snippet: string, 
/**
 * Relevance (higher is better).
 */
rank: number, };

export type ExportFormat = "html" | "md" | "epub";

export type ExportOptions = { 
/**
 * The file format.
 */
format: ExportFormat, 
/**
 * Include translations into this language (BCP-47), when stored.
 */
to: string | null, 
/**
 * Chinese script for original and translation.
 */
script?: ScriptChoice, 
/**
 * Layout of original and translation.
 */
mode?: ViewMode, };

export type FieldView = { 
/**
 * Key in config.toml and `dz provider set`.
 */
key: string, 
/**
 * Form label.
 */
label: string, 
/**
 * `text`, `secret`, `url`, `number` or `select`.
 */
kind: string, 
/**
 * Choices for `select`.
 */
options: Array<string>, 
/**
 * Must be set for the provider to work.
 */
required: boolean, 
/**
 * Used when unset.
 */
default: string | null, 
/**
 * One line of help.
 */
help: string, 
/**
 * The configured value; for a secret, `None` (see `has_key`).
 */
value: string | null, };

export type ProviderView = { 
/**
 * Stable name (`openai`, `deepl`, `google`, `google-web`, `microsoft`, `edge`,
 * `libretranslate`, `apertium`).
 */
name: string, 
/**
 * Human label.
 */
label: string, 
/**
 * Its settings form.
 */
fields: Array<FieldView>, 
/**
 * It cannot work without a key.
 */
needs_key: boolean, 
/**
 * A key is available (keyring or environment); the key itself never leaves Rust.
 */
has_key: boolean, 
/**
 * Usable now (a key when one is needed, required fields set).
 */
ready: boolean, };

export type TranslationSettings = { 
/**
 * Target language (BCP-47): `en`, `zh-Hans`, `zh-Hant`, `de`, …
 */
target: string, 
/**
 * Preferred provider; `None` = the keyless default chain (edge, then google-web).
 */
provider: string | null, };

export type TranslateEvent = { "event": "started", 
/**
 * The article.
 */
article_id: number, 
/**
 * Segments in the job.
 */
total: number, } | { "event": "batch", 
/**
 * The article.
 */
article_id: number, 
/**
 * Segments done so far.
 */
done: number, 
/**
 * Segments in the job.
 */
total: number, 
/**
 * Block indices translated in this batch (same order as `texts`).
 */
blocks: Array<number>, 
/**
 * Their translations.
 */
texts: Array<string>, 
/**
 * The title's translation, when this batch carried it.
 */
title: string | null, };

export type TranslateSummary = { 
/**
 * The article.
 */
article_id: number, 
/**
 * Target language as requested.
 */
target: string, 
/**
 * Segments translated by a service now.
 */
translated: number, 
/**
 * Segments found in the translation memory.
 */
from_memory: number, 
/**
 * Segments already in the target language.
 */
skipped: number, 
/**
 * HTTP requests made.
 */
requests: number, 
/**
 * The providers that answered.
 */
providers: Array<string>, };

export type ProviderTest = { 
/**
 * It worked.
 */
ok: boolean, 
/**
 * What happened, in one sentence.
 */
message: string, 
/**
 * The sample translation, when it worked.
 */
sample: string | null, };

export type GlossaryEntry = { 
/**
 * Id (0 for a new entry).
 */
id: number, 
/**
 * The term as it appears in articles.
 */
source: string, 
/**
 * How to render it.
 */
target: string, 
/**
 * Only for this target language (BCP-47); `None` = every target.
 */
lang: string | null, 
/**
 * Only for this feed; `None` = global.
 */
feed_id: number | null, };

export type AutoTranslateStatus = "translated" | "skipped" | "failed";

export type AutoTranslateProgress = { 
/**
 * The article.
 */
article_id: number, 
/**
 * Its feed.
 */
feed_id: number, 
/**
 * The target language (BCP-47), as the feed names it.
 */
target: string, 
/**
 * Articles done so far in this pass.
 */
done: number, 
/**
 * Articles queued when the pass started.
 */
total: number, 
/**
 * What happened.
 */
status: AutoTranslateStatus, 
/**
 * Why it failed (typed: an `auth` failure sends the reader to the provider's settings).
 */
error: Failure | null, };

export type AutoTranslateFailure = { 
/**
 * The article (still stored, untranslated).
 */
article_id: number, 
/**
 * Its feed.
 */
feed_id: number, 
/**
 * What kind of failure (`auth`, `quota`, `network`, …).
 */
code: ErrorCode, 
/**
 * The provider that failed, when one did.
 */
provider: string | null, 
/**
 * What went wrong, in one line.
 */
message: string, };

export type ReadingChoice = "off" | "pinyin" | "zhuyin";

export type DictEntry = { 
/**
 * Traditional characters.
 */
traditional: string, 
/**
 * Simplified characters.
 */
simplified: string, 
/**
 * Pinyin with tone marks, syllables separated by spaces.
 */
pinyin: string, 
/**
 * Zhuyin with tone marks, syllables separated by spaces.
 */
zhuyin: string, 
/**
 * The definitions, in CC-CEDICT's order.
 */
definitions: Array<string>, };

export type ReadingToken = { 
/**
 * The piece of the input (the pieces concatenate back to it).
 */
text: string, 
/**
 * Its reading, or `None` for text that is not a Chinese dictionary word.
 */
reading: string | null, };

export type WordAt = { 
/**
 * The word as written in the text.
 */
word: string, 
/**
 * Where it starts in the text, in UTF-16 code units (a JavaScript string index).
 */
start: number, 
/**
 * Where it ends (exclusive), in UTF-16 code units.
 */
end: number, 
/**
 * Its entries, the reading running text takes first.
 */
entries: Array<DictEntry>, };

export type VocabWord = { 
/**
 * Library-wide id.
 */
id: number, 
/**
 * Traditional characters.
 */
traditional: string, 
/**
 * Simplified characters.
 */
simplified: string, 
/**
 * Pinyin with tone marks.
 */
pinyin: string, 
/**
 * Zhuyin with tone marks.
 */
zhuyin: string, 
/**
 * The definitions.
 */
definitions: Array<string>, 
/**
 * The sentence the word was met in.
 */
sentence: string | null, 
/**
 * The article it was met in; `None` when saved without one or the article was deleted.
 */
article_id: number | null, 
/**
 * That article's title, while it exists.
 */
article_title: string | null, 
/**
 * When it was saved, RFC 3339 in UTC.
 */
created: string, };

export type NewVocabWord = { 
/**
 * The word, in either script.
 */
word: string, 
/**
 * Which reading of the word (pinyin with tone marks, as [`DictEntry::pinyin`]) when it
 * has several; `None` = the one running text takes.
 */
pinyin?: string, 
/**
 * The article it was met in.
 */
article_id?: number | null, 
/**
 * The sentence it was met in; `None` with an article = the first sentence of the article
 * holding the word.
 */
sentence?: string, };

export type VocabFormat = "anki" | "csv";

export type SyncAccount = { 
/**
 * `greader` (Google Reader API: FreshRSS, Miniflux) or `fever`.
 */
kind: string, 
/**
 * The server's API base (Google Reader) or endpoint (Fever).
 */
url: string, 
/**
 * The user name.
 */
user: string, 
/**
 * When the last sync ended, RFC 3339.
 */
last_sync: string | null, 
/**
 * What the last sync that got through did.
 */
last_result: SyncSummary | null, 
/**
 * Why the last sync failed (`None` when it succeeded).
 */
last_error: Failure | null, 
/**
 * Changes made here that wait for the next sync.
 */
pending: number, 
/**
 * The app syncs on its own at start and every this many minutes, and shortly after
 * changes made here; 0 = only when asked.
 */
interval_min: number, };

export type SyncSummary = { 
/**
 * Articles added from the server.
 */
new: number, 
/**
 * Articles whose read or starred state the server changed.
 */
updated: number, 
/**
 * Queued changes the server acknowledged.
 */
sent: number, 
/**
 * Queued changes the server did not take; they stay queued for the next sync.
 */
failed: number, 
/**
 * Items the server listed but no longer had when asked for them.
 */
missing: number, 
/**
 * The server's subscriptions (local feeds with a server id).
 */
feeds: number, 
/**
 * Why the queued changes could not be sent, when they could not.
 */
send_error: Failure | null, };

export type SyncPhase = "signing_in" | "sending" | "feeds" | "states" | "items" | "done";

export type SyncProgress = { 
/**
 * The phase.
 */
phase: SyncPhase, 
/**
 * Items handled so far in this phase.
 */
done: number, 
/**
 * How many there are, when known.
 */
total: number | null, 
/**
 * Articles added so far.
 */
new: number, };

export type ReadScope = "all" | { "feed": number } | { "folder": string };

/** What every command rejects with (the core's `Failure`). */
export type IpcError = Failure;
