// Typed calls into the Rust core. The UI holds no business logic: every function here is one
// IPC command, and every type comes from the generated bindings.
import { invoke } from '@tauri-apps/api/core';
import type { Article, ArticleSummary, IpcError, ListFilter, ScriptChoice, ViewOptions } from './bindings';

export function listArticles(filter: ListFilter = {}): Promise<ArticleSummary[]> {
  return invoke('list_articles', { filter });
}

export function getArticle(id: number, view: ViewOptions = {}): Promise<Article> {
  return invoke('get_article', { id, view });
}

export function getScriptPreference(feedId: number | null): Promise<ScriptChoice> {
  return invoke('get_script_preference', { feedId });
}

export function setScriptPreference(feedId: number | null, script: ScriptChoice): Promise<void> {
  return invoke('set_script_preference', { feedId, script });
}

/** Commands reject with `{code, message}`; anything else is shown as text. */
export function asIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    return e as IpcError;
  }
  return { code: 'io', message: String(e) };
}
