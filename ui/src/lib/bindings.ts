// Generated from the Rust types by src-tauri/src/bindings.rs (ts-rs). Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p duizhao-app bindings` after changing a type.

export type ErrorCode = "not_found" | "not_an_article" | "corrupt_database" | "database" | "io" | "invalid_input";

export type IpcError = { 
/**
 * Stable machine code.
 */
code: ErrorCode, 
/**
 * One human sentence.
 */
message: string, };

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
 * BCP-47 language of this block when known (e.g. `zh-Hant`).
 */
lang?: string, 
/**
 * The translation of `text`, when the view asked for one and it exists.
 */
translation?: string, };

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
lang: string | null, };

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
unread?: boolean, };

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

export type ViewOptions = { 
/**
 * The script for Chinese text (original and translation alike).
 */
script?: ScriptChoice, 
/**
 * An explicit OpenCC config applied to every Chinese block instead of `script`
 * (`dz show --script s2twp`).
 */
config?: string | null, };
