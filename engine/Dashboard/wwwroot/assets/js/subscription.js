// A CallEvents.Subscribe stream that stays open: on RESOURCE_EXHAUSTED, UNAVAILABLE or a network failure it
// reconnects after a backoff (exponential, full jitter) with resume_after = the id of the last event received,
// so the engine replays what was missed — no gap, no duplicate (events.proto). Authentication and argument
// errors are final: retrying cannot fix them.
import { GrpcError, RETRYABLE, StatusCode } from './grpcweb.js';
import { Methods, decode, encode } from './messages.js';

/** Connection states reported through onState: { state, attempt, retryInMs?, error? }. */
export const StreamState = Object.freeze({
  CONNECTING: 'connecting',
  LIVE: 'live',
  RECONNECTING: 'reconnecting',
  FAILED: 'failed',
  STOPPED: 'stopped',
});

const defaultSleep = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

export class EventSubscription {
  /**
   * @param client a GrpcWebClient
   * @param request SubscribeRequest fields (organisationIds, trackingNumbers, campaignIds, kinds, resumeAfter)
   * @param options onEvent(event), onState(state), initialBackoffMs, maxBackoffMs, random(), sleep(ms, signal)
   */
  constructor(client, request = {}, options = {}) {
    this.client = client;
    this.request = { ...request };
    this.onEvent = options.onEvent ?? (() => {});
    this.onState = options.onState ?? (() => {});
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
    this.lastId = request.resumeAfter ?? null;
    this.controller = null;
    this.done = null;
  }

  /** Starts the stream (once); the returned promise settles when it is stopped or fails for good. */
  start() {
    if (this.done) return this.done;
    this.controller = new AbortController();
    this.done = this.#run(this.controller.signal);
    return this.done;
  }

  stop() {
    this.controller?.abort();
    return this.done ?? Promise.resolve();
  }

  async #run(signal) {
    let attempt = 0;
    while (!signal.aborted) {
      this.onState({ state: attempt === 0 ? StreamState.CONNECTING : StreamState.RECONNECTING, attempt });
      const request = { ...this.request, resumeAfter: this.lastId ?? undefined };
      let error = null;
      try {
        const onOpen = () => this.onState({ state: StreamState.LIVE, attempt });
        for await (const bytes of this.client.serverStream(Methods.subscribe.path, encode(Methods.subscribe.request, request), { signal, onOpen })) {
          const event = decode(Methods.subscribe.response, bytes);
          this.lastId = event.id;
          // A message proves the connection works: the next failure starts the backoff from the beginning.
          attempt = 0;
          this.onEvent(event);
        }
        // The engine ended the stream with OK (it should not): open it again.
      } catch (e) {
        error = e;
      }
      if (signal.aborted) break;
      const code = error instanceof GrpcError ? error.code : StatusCode.UNKNOWN;
      if (error && !RETRYABLE.has(code)) {
        this.onState({ state: StreamState.FAILED, attempt, error });
        return;
      }
      attempt += 1;
      const ceiling = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (attempt - 1));
      const wait = Math.round(ceiling / 2 + this.random() * (ceiling / 2));
      this.onState({ state: StreamState.RECONNECTING, attempt, retryInMs: wait, error });
      await this.sleep(wait, signal);
    }
    this.onState({ state: StreamState.STOPPED, attempt: 0 });
  }
}

