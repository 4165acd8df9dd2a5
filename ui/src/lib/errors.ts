// What the reader can do about a failure, decided in one place. Commands reject and streamed
// progress fails with the same `{code, message, provider?}` (docs/IPC.md), so every view that
// shows a failure (the reader pane, the translation banner, the toast with a refresh's failed
// feeds or a failed auto-translation, the subscribe and save forms, settings) asks here for a
// sentence of advice and the actions that fix it, given what failed.
import type { ErrorCode, IpcError, ProviderView } from './bindings';

/** Something a button next to the message does (`state/actions.ts` carries it out). */
export type ErrorAction =
  /** Settings → Providers at that provider (`null`: the first one). */
  | { kind: 'provider'; provider: string | null }
  /** The feed's ⋯ dialog, where its address is shown. */
  | { kind: 'feed'; feedId: number }
  /** The same thing again (only offered where the view can retry). */
  | { kind: 'retry' }
  /** The sidebar and the list from the core again (something was removed elsewhere). */
  | { kind: 'reload' }
  /** The toolbar's provider picker. */
  | { kind: 'pick-provider' };

/** What failed, as far as the advice depends on it. */
export interface ErrorContext {
  /**
   * `feed`: subscribing or refreshing; `page`: saving a web page; `file`: importing a file;
   * `translation`: translating an article (by hand or automatically); `provider`: a
   * provider's own settings form (so no action opens it again). Else a general failure.
   */
  subject?: 'feed' | 'page' | 'file' | 'translation' | 'provider';
  /** The feed concerned (a refresh failure, an auto-translating feed). */
  feedId?: number | null;
  /** The provider meant when the failure names none (the toolbar's choice). */
  provider?: string | null;
  /** The view can run the failed thing again. */
  canRetry?: boolean;
}

/** A sentence for the reader (or none) and the actions to offer, the first one the main one. */
export interface Advice {
  text: string | null;
  actions: ErrorAction[];
}

const PROVIDER_CODES: ErrorCode[] = ['auth', 'config', 'quota'];

/** The environment variable a keyring failure names (`…; set DUIZHAO_DEEPL_API_KEY instead`). */
function envVar(message: string): string | null {
  return /\b(DUIZHAO_[A-Z0-9_]+)\b/.exec(message)?.[1] ?? null;
}

function text(err: IpcError, ctx: ErrorContext): string | null {
  switch (err.code) {
    case 'auth':
      return 'The translation service refused the key. Check it in the provider’s settings.';
    case 'config':
      return 'The translation service is not fully set up. Complete its settings.';
    case 'quota':
      return 'The service’s quota is used up. Wait for it to reset, raise it, or pick another provider.';
    case 'rate_limited':
      return 'The service is limiting requests. Wait a minute and try again, or pick another provider.';
    case 'network':
    case 'timeout':
      return 'The service could not be reached. Check the connection (or the endpoint in Settings) and try again.';
    case 'bad_reply':
      return 'The service answered with something unexpected. Try again or pick another provider.';
    case 'fetch':
      if (ctx.subject === 'page') return 'Check the address and the connection; the page must be reachable over http or https.';
      return 'Check the feed’s address and the connection; it must point at an RSS, Atom or JSON feed.';
    case 'not_a_feed':
      if (ctx.subject === 'page') return 'No article text was found there. Try the article’s own page rather than a home page or an index.';
      return 'Check the feed’s address; it must point at an RSS, Atom or JSON feed, not a web page.';
    case 'busy':
      return 'The library is busy with another task (another window or dz). Try again in a moment.';
    case 'keyring': {
      const name = envVar(err.message);
      const where = name ? `the environment variable ${name}` : 'the provider’s environment variable (DUIZHAO_<PROVIDER>_API_KEY)';
      return `The system keyring cannot be used here. Set the key in ${where} before starting Duizhao instead.`;
    }
    case 'schema_too_new':
      return 'Update Duizhao: this library was written by a newer version. Nothing in it was changed.';
    case 'not_found':
      if (ctx.subject === 'file') return 'The file is gone. Choose it again.';
      return 'It is no longer in the library (removed elsewhere, perhaps with dz). Reload the list.';
    case 'corrupt_database':
      return 'Restore the library from a backup, or move the file away to start a new one.';
    case 'unsupported':
      return 'This version of the app cannot do that yet.';
    default:
      return null;
  }
}

function actions(err: IpcError, ctx: ErrorContext): ErrorAction[] {
  const out: ErrorAction[] = [];
  const provider = err.provider ?? ctx.provider ?? null;
  const translating = ctx.subject === 'translation';
  if (PROVIDER_CODES.includes(err.code) && ctx.subject !== 'provider' && (provider !== null || err.code !== 'quota')) {
    out.push({ kind: 'provider', provider });
  }
  if ((err.code === 'fetch' || err.code === 'not_a_feed') && ctx.feedId != null) {
    out.push({ kind: 'feed', feedId: ctx.feedId });
  }
  const transient: ErrorCode[] = ['busy', 'rate_limited', 'network', 'timeout', 'bad_reply'];
  if (ctx.canRetry && transient.includes(err.code)) out.push({ kind: 'retry' });
  if (translating && ['quota', 'rate_limited', 'bad_reply'].includes(err.code)) out.push({ kind: 'pick-provider' });
  if (err.code === 'not_found' && ctx.subject !== 'file') out.push({ kind: 'reload' });
  return out;
}

/** What to say and offer about `err`, given what failed. */
export function advise(err: IpcError, ctx: ErrorContext = {}): Advice {
  return { text: text(err, ctx), actions: actions(err, ctx) };
}

/** A button's words for an action; providers are named by their label. */
export function actionLabel(action: ErrorAction, providers: ProviderView[]): string {
  switch (action.kind) {
    case 'provider': {
      const who = providers.find((p) => p.name === action.provider)?.label ?? action.provider;
      return who ? `Open ${who} settings` : 'Open provider settings';
    }
    case 'feed':
      return 'Check the feed’s address';
    case 'retry':
      return 'Try again';
    case 'reload':
      return 'Reload the list';
    case 'pick-provider':
      return 'Pick another provider';
  }
}

/** The `data-action` of an action's button (tests and the end-to-end checks find it by this). */
export function actionName(action: ErrorAction): string {
  return { provider: 'open-provider', feed: 'check-feed', retry: 'retry', reload: 'reload', 'pick-provider': 'pick-provider' }[action.kind];
}
