// The sync account as the sidebar and Settings → Sync show it: loaded at start, replaced by
// what the app announces at the end of every sync (background or "Sync now"), and by what the
// settings page changes. The password is never part of it.
import { getSyncAccount } from '../api';
import type { SyncAccount } from '../bindings';

class SyncState {
  account = $state<SyncAccount | null>(null);

  async load(): Promise<void> {
    try {
      this.account = await getSyncAccount();
    } catch {
      // The settings page says why when opened; the sidebar just shows nothing.
    }
  }

  /** A sync ended (the app's `sync-finished` event) or the account changed. */
  set(account: SyncAccount | null): void {
    this.account = account;
  }
}

export const sync = new SyncState();
