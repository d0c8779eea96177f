/**
 * The worker loop the mail outbox and the job queue share: passes over a to-do list, one at a time
 * per process, started by start(), by a request (enqueue, flush) once started, and by a timer
 * (the next due time, at the latest every pollMs). A pass returns when it should run again (or
 * undefined: at the next poll). Requests while a pass waits to begin join it.
 */
export interface PassLoop {
  readonly started: boolean;
  start(): void;
  /** Stops the timer and waits for the pass under way. */
  stop(): Promise<void>;
  /** A pass soon (joins one waiting to begin); resolves when it has run. */
  request(): Promise<void>;
  /** Resolves when every pass requested so far has run. */
  settled(): Promise<void>;
}

export function createPassLoop(options: {
  pass: () => Promise<number | undefined>;
  pollMs: number;
  now: () => number;
  /** A pass failed (it is logged here); the next one is tried after `retryMs`. */
  onError: (error: unknown) => void;
  retryMs: number;
}): PassLoop {
  const { pass, pollMs, now, onError, retryMs } = options;
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;

  function schedule(next: number | undefined): void {
    if (!started) return;
    if (timer) clearTimeout(timer);
    const delay = next === undefined ? pollMs : Math.min(Math.max(next - now(), 0), pollMs);
    timer = setTimeout(() => {
      timer = undefined;
      request().catch(() => undefined); // already reported through `chain`
    }, delay);
    timer.unref();
  }

  function request(): Promise<void> {
    if (queued) return queued;
    const run = chain.then(async () => {
      queued = undefined;
      schedule(await pass());
    });
    queued = run;
    chain = run.catch((error: unknown) => {
      onError(error);
      schedule(now() + retryMs);
    });
    return run;
  }

  return {
    get started() {
      return started;
    },
    start() {
      if (started) return;
      started = true;
      request().catch(() => undefined);
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await chain;
    },
    request,
    settled: () => chain,
  };
}
