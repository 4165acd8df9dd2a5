// The toast at the bottom of the window: one short message at a time, about something that
// finished (a refresh, an export) or a problem that does not block reading.
import { asIpcError } from '../api';
import type { IpcError } from '../bindings';

/** What the toast says; `err` makes it an alert and shows the core's message under the text. */
export interface Notice {
  text: string;
  err?: IpcError;
}

class Notices {
  current = $state<Notice | null>(null);
  #shown = new Set<string>();

  say(text: string, err?: IpcError): void {
    this.current = err ? { text, err } : { text };
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
