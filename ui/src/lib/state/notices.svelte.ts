// The toast at the bottom of the window: one short message at a time, about something that
// finished (a refresh, an export) or a problem that does not block reading, with what the
// reader can do about it (errors.ts).
import { asIpcError } from '../api';
import type { IpcError } from '../bindings';
import type { ErrorContext } from '../errors';

/** One of several things that failed together (a feed of a refresh). */
export interface NoticeFailure {
  /** What failed, as the reader knows it (the feed's title). */
  title: string;
  err: IpcError;
  context: ErrorContext;
}

/** What the toast says; `err` makes it an alert and shows the core's message under the text. */
export interface Notice {
  text: string;
  err?: IpcError;
  /** What failed, for the advice and actions offered with `err`. */
  context?: ErrorContext;
  /** Runs the failed thing again ("Try again" is offered only with it). */
  retry?: () => unknown;
  /** Several failures, each with its own actions. */
  failures?: NoticeFailure[];
}

class Notices {
  current = $state<Notice | null>(null);
  #shown = new Set<string>();

  say(text: string, err?: IpcError, more: Omit<Notice, 'text' | 'err'> = {}): void {
    this.current = err ? { text, err, ...more } : { text, ...more };
  }

  /** A non-blocking problem (a command this build lacks, a failed mark-as-read): once each. */
  problem(e: unknown, what: string): void {
    const err = asIpcError(e);
    const key = `${what}:${err.message}`;
    if (this.#shown.has(key)) return;
    this.#shown.add(key);
    this.say(what, err);
  }

  dismiss(): void {
    this.current = null;
  }
}

export const notices = new Notices();
