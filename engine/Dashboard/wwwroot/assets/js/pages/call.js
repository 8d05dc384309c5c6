// One call (Calls.GetCall): who called and why (attribution), what happened (event timeline and legs), how it
// sounded (quality), the recording (Calls.GetRecordingLink → <audio>) and the transcript (Calls.GetTranscript).
import { h, icon, replace } from '../dom.js';
import { call } from '../session.js';
import { destination, disposition, duration, fullDateTime, geography, mosRating, ms, phone, time, timelineOffset } from '../format.js';
import { GrpcError, StatusCode } from '../grpcweb.js';

// Call.hangup_by values (calls.proto) as people read them.
const HUNG_UP_BY = { caller: 'Caller', callee: 'Business', engine: 'Engine' };

function describe(event) {
  switch (event.kind) {
    case 'call.started': return `Call reached the engine on trunk ${event.started?.trunk || '—'}`;
    case 'call.ringing': return `Ringing ${destination(event.ringing?.destination) || 'destination'}${event.ringing?.sipStatus ? ` (${event.ringing.sipStatus})` : ''}`;
    case 'call.answered': return 'Answered by the engine';
    case 'call.bridged': return `Connected to ${destination(event.bridged?.destination) || 'destination'}`;
    case 'call.dtmf': return `Caller pressed ${event.dtmf?.digit ?? '?'}`;
    case 'call.ended': {
      const e = event.ended ?? {};
      return `Ended: ${disposition(e.disposition)}${e.hangupBy ? `, hung up by the ${HUNG_UP_BY[e.hangupBy]?.toLowerCase() ?? e.hangupBy}` : ''}${e.sipReason ? ` (${e.sipReason})` : ''}`;
    }
    case 'recording.ready': return event.recordingReady?.error ? `Recording failed: ${event.recordingReady.error}` : `Recording ready (${ms(event.recordingReady?.durationMs ?? 0)})`;
    default: return event.kind;
  }
}

/**
 * The signed link on this page's own origin. The engine builds it from Http:PublicUrl, which may name another
 * host than the one this page was opened on (a proxy's name, localhost): this page was served by the same
 * engine, and its Content-Security-Policy allows media from 'self' only.
 */
function sameOrigin(url) {
  const link = new URL(url, location.href);
  return link.origin === location.origin ? link.href : `${link.pathname}${link.search}`;
}

/** A leg's outcome: its final SIP status where it has one (outbound), otherwise what its times say. */
function legResult(leg) {
  if (leg.finalStatus) return `${leg.finalStatus}${leg.reason ? ` ${leg.reason}` : ''}`;
  if (leg.endedAt) return leg.answeredAt ? 'Answered' : 'Not answered';
  return leg.answeredAt ? 'Connected' : 'Ringing…';
}

const fact = (label, value, testid) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', { 'data-testid': testid }, value || '—'));

export function mount(main, { callId }) {
  document.title = 'Call · CallTracking';
  const controller = new AbortController();
  const signal = controller.signal;
  replace(main, h('div', { class: 'page call-page', 'aria-busy': 'true' },
    h('a', { class: 'back', href: '#/calls' }, icon('left'), 'All calls'),
    h('p', { class: 'muted' }, 'Loading call…')));

  async function recording(c) {
    const holder = h('section', { class: 'panel recording', 'aria-labelledby': 'recording-title' }, h('h2', { id: 'recording-title' }, 'Recording'));
    if (!c.hasRecording) {
      holder.append(h('p', { class: 'muted', 'data-testid': 'recording-unavailable' }, c.endedAt ? 'This call has no recording.' : 'The recording will be ready when the call ends.'));
      return holder;
    }
    const status = h('p', { class: 'muted' }, 'Preparing the recording…');
    holder.append(status);
    call('getRecordingLink', { callId: c.id }, { signal }).then((link) => {
      const audio = h('audio', { controls: true, preload: 'metadata', src: sameOrigin(link.url), 'data-testid': 'call-recording', 'aria-label': 'Call recording' });
      status.replaceWith(audio, h('p', { class: 'muted small' }, `Stereo: caller left, business right · ${ms(link.durationMs || c.recordingDurationMs)} · link valid until ${time(link.expiresAt)}`));
    }).catch((error) => {
      if (!signal.aborted) status.replaceWith(h('p', { class: 'muted', 'data-testid': 'recording-unavailable' }, `The recording cannot be played: ${error.grpcMessage ?? error.message}`));
    });
    return holder;
  }

  function transcript() {
    const body = h('div', { 'data-testid': 'call-transcript' }, h('p', { class: 'muted' }, 'Loading transcript…'));
    call('getTranscript', { callId }, { signal }).then((t) => {
      if (t.status !== 'done') {
        const text = { none: 'Not transcribed.', pending: 'Transcription in progress…', failed: `Transcription failed${t.error ? `: ${t.error}` : '.'}` }[t.status] ?? t.status;
        replace(body, h('p', { class: 'muted', 'data-testid': 'transcript-status', dataset: { status: t.status } }, text));
        return;
      }
      replace(body,
        h('p', { class: 'muted small', 'data-testid': 'transcript-status', dataset: { status: 'done' } }, t.language ? `Language: ${t.language}` : ''),
        h('ol', { class: 'transcript' }, t.segments.map((s) => h('li', { class: `segment speaker-${s.speaker}`, 'data-testid': 'transcript-segment' },
          h('span', { class: 'segment-meta' }, h('strong', {}, s.speaker === 'caller' ? 'Caller' : 'Business'), ' ', h('time', {}, ms(s.startMs))),
          h('p', {}, s.text)))));
    }).catch((error) => {
      if (!signal.aborted) replace(body, h('p', { class: 'muted', 'data-testid': 'transcript-status', dataset: { status: 'error' } }, `The transcript cannot be loaded: ${error.grpcMessage ?? error.message}`));
    });
    return h('section', { class: 'panel', 'aria-labelledby': 'transcript-title' }, h('h2', { id: 'transcript-title' }, 'Transcript'), body);
  }

  async function load() {
    let c;
    try {
      c = await call('getCall', { callId }, { signal });
    } catch (error) {
      if (signal.aborted) return;
      // An id that is not a UUID (a mangled link) is INVALID_ARGUMENT: for the reader, no such call either.
      const notFound = error instanceof GrpcError && (error.code === StatusCode.NOT_FOUND || error.code === StatusCode.INVALID_ARGUMENT);
      replace(main, h('div', { class: 'page call-page' },
        h('a', { class: 'back', href: '#/calls' }, icon('left'), 'All calls'),
        h('div', { class: 'empty-state error', role: 'alert', 'data-testid': 'call-error' },
          icon('alert'), h('p', {}, notFound ? 'There is no such call' : 'The call could not be loaded'),
          h('p', { class: 'muted' }, notFound ? 'It may have been deleted, or belong to another organisation.' : error.message))));
      return;
    }
    document.title = `${phone(c.callerNumber)} · CallTracking`;
    const geo = geography(c.callerRegion, c.callerCountry);
    const total = c.endedAt && c.startedAt ? (c.endedAt - c.startedAt) / 1000 : null;

    const header = h('header', { class: 'call-header', 'data-testid': 'call-header' },
      h('div', {},
        h('p', { class: 'eyebrow' }, fullDateTime(c.startedAt)),
        h('h1', { 'data-testid': 'call-caller' }, phone(c.callerNumber)),
        h('p', { class: 'muted' }, [c.callerName, geo].filter(Boolean).join(' · ') || 'Caller details not available')),
      h('div', { class: 'call-summary' },
        h('span', { class: `badge large disposition-${c.disposition || 'in-progress'}`, 'data-testid': 'call-disposition' }, disposition(c.disposition)),
        h('span', { class: 'muted' }, total === null ? 'In progress' : `${duration(total)} total · ${duration(c.talkSeconds)} talking`)));

    const attribution = h('section', { class: 'panel', 'aria-labelledby': 'attribution-title' },
      h('h2', { id: 'attribution-title' }, 'Attribution'),
      h('dl', { class: 'facts', 'data-testid': 'call-attribution' },
        fact('Tracking number', c.trackingNumberName ? `${c.trackingNumberName} · ${phone(c.trackingNumber)}` : phone(c.trackingNumber), 'call-tracking-number'),
        fact('Campaign', c.campaignName || 'None', 'call-campaign'),
        fact('Trunk', c.trunk, 'call-trunk'),
        fact('Hung up by', HUNG_UP_BY[c.hangupBy] ?? c.hangupBy, 'call-hangup-by'),
        fact('SIP Call-ID', c.sipCallId, 'call-sip-call-id'),
        c.twilioCallSid ? fact('Twilio CallSid', c.twilioCallSid, 'call-twilio-sid') : null));

    const quality = h('section', { class: 'panel', 'aria-labelledby': 'quality-title' },
      h('h2', { id: 'quality-title' }, 'Quality'),
      h('dl', { class: 'quality', 'data-testid': 'call-quality' },
        h('div', { class: `metric mos-${mosRating(c.mos).replace(' ', '-')}` }, h('dt', {}, 'MOS'), h('dd', { 'data-testid': 'quality-mos' }, c.mos ? c.mos.toFixed(2) : '—', h('small', {}, mosRating(c.mos)))),
        h('div', { class: 'metric' }, h('dt', {}, 'Jitter'), h('dd', { 'data-testid': 'quality-jitter' }, `${c.jitterMs.toFixed(1)} ms`)),
        h('div', { class: 'metric' }, h('dt', {}, 'Packets lost'), h('dd', { 'data-testid': 'quality-loss' }, String(c.packetsLost)))));

    const timeline = h('section', { class: 'panel', 'aria-labelledby': 'timeline-title' },
      h('h2', { id: 'timeline-title' }, 'Timeline'),
      c.events.length === 0 ? h('p', { class: 'muted' }, 'No events recorded.')
        : h('ol', { class: 'timeline', 'data-testid': 'call-timeline' }, c.events.map((e) => h('li', { class: `kind-${e.kind.replace('.', '-')}`, 'data-testid': 'timeline-event', dataset: { kind: e.kind } },
          h('time', { datetime: e.occurredAt?.toISOString(), title: fullDateTime(e.occurredAt) }, timelineOffset(e.occurredAt, c.startedAt) || time(e.occurredAt)),
          h('span', {}, describe(e))))));

    const legs = h('section', { class: 'panel', 'aria-labelledby': 'legs-title' },
      h('h2', { id: 'legs-title' }, 'Legs'),
      c.legs.length === 0 ? h('p', { class: 'muted' }, 'No destination was dialled.')
        : h('table', { class: 'table compact', 'data-testid': 'call-legs' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Party'), h('th', { scope: 'col' }, 'Result'), h('th', { scope: 'col', class: 'numeric' }, 'Connected'))),
          h('tbody', {}, c.legs.map((leg) => h('tr', { 'data-testid': 'call-leg', dataset: { direction: leg.direction } },
            // The trunk goes under the party: three columns fit the side panel.
            h('td', { class: 'phone-cell' }, leg.direction === 'inbound'
              ? [phone(c.callerNumber), h('span', { class: 'leg-direction' }, ['Caller', leg.trunk].filter(Boolean).join(' · via '))]
              : [destination(leg.destination) || '—', h('span', { class: 'leg-direction' }, ['Forwarded', leg.trunk].filter(Boolean).join(' · via '))]),
            h('td', {}, legResult(leg)),
            h('td', { class: 'numeric' }, leg.answeredAt && leg.endedAt ? duration((leg.endedAt - leg.answeredAt) / 1000) : '—'))))));

    replace(main, h('div', { class: 'page call-page', 'data-testid': 'call-page', dataset: { callId: c.id } },
      h('a', { class: 'back', href: '#/calls' }, icon('left'), 'All calls'),
      header,
      h('div', { class: 'call-grid' },
        h('div', { class: 'call-main' }, await recording(c), timeline, transcript()),
        h('aside', { class: 'call-side' }, attribution, quality, legs))));
  }

  load();
  return () => controller.abort();
}
