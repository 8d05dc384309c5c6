// The live board's model: calls in progress and calls that just ended, kept up to date from
// CallEvents.Subscribe for as long as someone is signed in (switching pages loses nothing).
import { EventSubscription, StreamState } from './subscription.js';
import { client, call } from './session.js';

const ENDED_KEPT = 12;

export class LiveCalls {
  constructor() {
    this.active = new Map();
    this.ended = [];
    this.endedIds = new Set();
    this.connection = { state: 'idle' };
    this.listeners = new Set();
    this.subscription = null;
  }

  /** listener(change) with change.type 'calls' | 'connection' | 'announce' (change.text); returns an unsubscribe. */
  listen(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  #emit(change) {
    for (const listener of this.listeners) listener(change);
  }

  start() {
    if (this.subscription) return;
    this.subscription = new EventSubscription(client, {}, {
      onEvent: (event) => this.apply(event),
      onState: (state) => {
        this.connection = state;
        this.#emit({ type: 'connection' });
      },
    });
    this.subscription.start();
    this.#seed();
  }

  stop() {
    this.subscription?.stop();
    this.subscription = null;
    this.active.clear();
    this.ended = [];
    this.endedIds.clear();
    this.connection = { state: 'idle' };
  }

  /** Calls already in progress when the board opened (the stream starts from now). */
  async #seed() {
    try {
      const page = await call('listCalls', { disposition: 'in-progress', pageSize: 100 });
      for (const c of page.calls) {
        if (this.active.has(c.id) || this.endedIds.has(c.id)) continue;
        this.active.set(c.id, {
          callId: c.id, callerNumber: c.callerNumber, callerName: c.callerName, callerRegion: c.callerRegion,
          callerCountry: c.callerCountry, trackingNumber: c.trackingNumber, campaignId: c.campaignId,
          startedAt: c.startedAt ?? new Date(), state: c.answeredAt ? 'connected' : 'incoming',
          stateText: c.answeredAt ? 'Connected' : 'Incoming', destination: '',
        });
      }
      this.#emit({ type: 'calls' });
    } catch (error) {
      console.warn('calls in progress could not be listed', error);
    }
  }

  /** Applies one CallEvent (decoded) to the model. Unknown kinds are ignored, as events.proto asks. */
  apply(event) {
    const id = event.callId;
    if (!id) return;
    if (this.endedIds.has(id) && event.kind !== 'recording.ready') return;
    let card = this.active.get(id);
    const ensure = () => {
      if (!card) {
        card = { callId: id, callerNumber: '', callerName: '', callerRegion: '', callerCountry: '', trackingNumber: event.trackingNumber,
          campaignId: event.campaignId, startedAt: event.occurredAt ?? new Date(), state: 'incoming', stateText: 'Incoming', destination: '' };
        this.active.set(id, card);
      }
      return card;
    };
    switch (event.kind) {
      case 'call.started': {
        const s = event.started ?? {};
        Object.assign(ensure(), {
          callerNumber: s.callerNumber ?? '', callerName: s.callerName ?? '', callerRegion: s.callerRegion ?? '', callerCountry: s.callerCountry ?? '',
          trackingNumber: event.trackingNumber, campaignId: event.campaignId, startedAt: event.occurredAt ?? card.startedAt,
        });
        this.#emit({ type: 'announce', card, text: 'started' });
        break;
      }
      case 'call.ringing':
        Object.assign(ensure(), { state: 'ringing', stateText: 'Ringing', destination: event.ringing?.destination ?? '' });
        break;
      case 'call.answered':
        Object.assign(ensure(), { state: 'answered', stateText: 'Answered' });
        break;
      case 'call.bridged':
        Object.assign(ensure(), { state: 'connected', stateText: 'Connected', destination: event.bridged?.destination ?? card?.destination ?? '', connectedAt: event.bridged?.answeredAt ?? event.occurredAt });
        break;
      case 'call.dtmf':
        ensure().lastDigit = event.dtmf?.digit ?? '';
        break;
      case 'transcript.segment': {
        // Transcription:Live: the card shows the last thing said (provisional; the call page has the final transcript).
        const segment = event.transcriptSegment;
        if (!segment?.text) return;
        ensure().lastSaid = { speaker: segment.speaker, text: segment.text };
        break;
      }
      case 'call.ended': {
        const ended = ensure();
        this.active.delete(id);
        const e = event.ended ?? {};
        const finished = { ...ended, state: 'ended', disposition: e.disposition || 'failed', endedAt: e.endedAt ?? event.occurredAt,
          talkSeconds: e.talkSeconds ?? 0, ringSeconds: e.ringSeconds ?? 0, hangupBy: e.hangupBy ?? '' };
        this.ended.unshift(finished);
        this.endedIds.add(id);
        for (const dropped of this.ended.splice(ENDED_KEPT)) this.endedIds.delete(dropped.callId);
        this.#emit({ type: 'announce', card: finished, text: 'ended' });
        break;
      }
      case 'recording.ready': {
        const done = this.ended.find((c) => c.callId === id);
        if (done) done.hasRecording = !event.recordingReady?.error;
        break;
      }
      default:
        return;
    }
    this.#emit({ type: 'calls' });
  }
}

export { StreamState };
