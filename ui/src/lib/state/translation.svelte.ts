// Translating the open article: one job at a time, its progress streamed block by block into
// the reader, cancellable; why it failed; and what background auto-translation reports.
import { asIpcError, cancelTranslation, listProviders, translateArticle } from '../api';
import type { AutoTranslateProgress, IpcError, ProviderView, TranslateEvent } from '../bindings';
import { targetLabel } from '../languages';
import { library } from './library.svelte';
import { notices } from './notices.svelte';
import { reader } from './reader.svelte';

/** A running job: which article, blocks done of total. */
export interface Job {
  id: number;
  done: number;
  total: number;
}

class Translation {
  providers = $state<ProviderView[]>([]);
  job = $state<Job | null>(null);
  /** Why the last translation of the open article failed (the reader pane offers what to do). */
  error = $state<IpcError | null>(null);
  /** The job, when it is for the open article. */
  here = $derived(this.job && reader.article && this.job.id === reader.article.id ? this.job : null);

  async loadProviders(): Promise<void> {
    try {
      this.providers = await listProviders();
    } catch {
      this.providers = [];
    }
  }

  /** Translates the open article; while it runs for this article, `t` cancels it instead. */
  async translate(): Promise<void> {
    const article = reader.article;
    if (!article) return;
    if (this.job) {
      const same = this.job.id === article.id;
      await this.cancel();
      if (same) return;
    }
    const id = article.id;
    const to = reader.target;
    this.job = { id, done: 0, total: 0 };
    this.error = null;
    try {
      const sum = await translateArticle(id, to, reader.prefs.provider, reader.script, (ev) => this.#progress(id, ev));
      notices.say(`Translated into ${targetLabel(to)}: ${sum.translated} new, ${sum.from_memory} from memory, ${sum.skipped} already in that language.`);
    } catch (e) {
      const err = asIpcError(e);
      if (err.code === 'cancelled') notices.say('Translation cancelled; finished paragraphs are kept.');
      else this.error = err;
    } finally {
      // Stored translations come back converted to the chosen script.
      if (reader.article?.id === id) await reader.load(id);
      if (this.job?.id === id) this.job = null;
      if (reader.article?.id === id) library.patch(id, { title_translation: reader.article.title_translation });
    }
  }

  async cancel(): Promise<void> {
    if (!this.job) return;
    try {
      await cancelTranslation(this.job.id);
    } catch (e) {
      notices.problem(e, 'Could not cancel the translation.');
    }
  }

  /**
   * An auto-translating feed's new article was translated (or failed) in the background: show
   * the translation where it is on screen, or say why it failed and that it is tried again.
   */
  autoTranslated(p: AutoTranslateProgress): void {
    if (p.status === 'failed') {
      const feed = library.feeds.find((f) => f.id === p.feed_id)?.title ?? 'a feed';
      const text = `Auto-translation of an article from ${feed} failed${p.error ? '' : ' (no reason given)'}. It is tried again after the next refresh.`;
      // The error says what to do: an auth failure offers its provider's settings.
      notices.say(text, p.error ?? undefined, { context: { subject: 'translation', feedId: p.feed_id } });
      return;
    }
    if (reader.article && p.article_id === reader.article.id) void reader.load(reader.article.id);
    void library.reloadQuietly();
  }

  #progress(id: number, ev: TranslateEvent): void {
    const job = this.job;
    if (!job || job.id !== id) return;
    job.total = ev.total;
    if (ev.event === 'started') return;
    job.done = ev.done;
    const article = reader.article;
    if (!article || article.id !== id) return;
    ev.blocks.forEach((b, k) => {
      const block = article.blocks[b];
      if (block) block.translation = ev.texts[k];
    });
    if (ev.title) article.title_translation = ev.title;
  }
}

export const translation = new Translation();
