/**
 * Concurrent reads of one key share requests without ever answering with data older than the
 * call: a caller gets the read in progress only if it started after the call, so the caller
 * joins the read queued behind it. Whatever the number of callers, at most two reads per key
 * are under way or waiting. Used for what every update of a release reads (its sender's grant)
 * when many arrive at once.
 */
export class CoalescedReads<T> {
  private readonly running = new Map<string, Promise<T>>();
  private readonly queued = new Map<string, Promise<T>>();

  read(key: string, fetch: () => Promise<T>): Promise<T> {
    const running = this.running.get(key);
    if (!running) return this.start(key, fetch);
    let queued = this.queued.get(key);
    if (!queued) {
      const next = () => {
        this.queued.delete(key);
        return this.start(key, fetch);
      };
      queued = running.then(next, next);
      this.queued.set(key, queued);
    }
    return queued;
  }

  private start(key: string, fetch: () => Promise<T>): Promise<T> {
    const running = fetch().finally(() => {
      if (this.running.get(key) === running) this.running.delete(key);
    });
    this.running.set(key, running);
    return running;
  }
}
