// Overlapping requests of one kind (two list loads, two searches): only the newest may write
// its answer, so a slow early reply never replaces a later one.
export class Turns {
  #n = 0;

  /** Starts a request; the returned check says whether it is still the newest. */
  take(): () => boolean {
    const mine = ++this.#n;
    return () => mine === this.#n;
  }

  /** Whether a request was started since `take` (or `latest`) returned `seen`. */
  get latest(): number {
    return this.#n;
  }
}
