// The live board: a card per call in progress (state and duration update live), a strip of calls that just
// ended, and an aria-live region that announces both. No polling: the model is fed by CallEvents.Subscribe;
// the one timer only re-renders the durations from each card's start time.
import { h, icon, replace } from '../dom.js';
import { directory } from '../session.js';
import { destination, disposition, duration, geography, phone, time } from '../format.js';

export function mount(main, { live }) {
  document.title = 'Live · CallTracking';
  let names = { campaigns: new Map(), numbers: new Map() };
  const announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-testid': 'board-announcer' });
  const grid = h('ul', { class: 'live-grid', 'aria-label': 'Calls in progress', 'data-testid': 'live-calls' });
  const count = h('span', { class: 'count', 'data-testid': 'live-count' }, '0');
  const strip = h('ol', { class: 'ended-strip', 'aria-label': 'Calls that just ended', 'data-testid': 'ended-strip' });

  replace(main, h('div', { class: 'page board', 'data-testid': 'board' },
    h('header', { class: 'page-header' },
      h('div', {}, h('h1', {}, 'Live calls ', count), h('p', { class: 'muted' }, 'Calls appear here the moment they reach the engine.'))),
    announcer,
    grid,
    h('section', { class: 'ended', 'aria-labelledby': 'ended-title' },
      h('h2', { id: 'ended-title' }, 'Just ended'),
      strip)));

  const campaignName = (id) => (id ? names.campaigns.get(id) ?? 'Campaign' : 'No campaign');
  const numberLabel = (number) => names.numbers.get(number) || phone(number);

  function liveCard(c) {
    const geo = geography(c.callerRegion, c.callerCountry);
    // The chip says the state in a word; where the call is going gets its own line (a long SIP URI fits there).
    const target = c.destination ? destination(c.destination) : '';
    const stateText = target && (c.state === 'ringing' || c.state === 'connected') ? `${c.stateText} ${c.state === 'ringing' ? '' : 'to '}${target}` : c.stateText;
    return h('li', { class: `live-card state-${c.state}`, 'data-testid': 'live-call', dataset: { callId: c.callId, state: c.state } },
      h('a', { class: 'card-link', href: `#/calls/${encodeURIComponent(c.callId)}`, 'aria-label': `Call from ${phone(c.callerNumber)}, ${stateText}` }),
      h('div', { class: 'card-top' },
        h('span', { class: 'state-chip', 'data-testid': 'live-call-state' }, h('span', { class: 'pulse', 'aria-hidden': 'true' }), c.stateText),
        h('time', { class: 'live-duration', 'data-testid': 'live-call-duration', dataset: { started: c.startedAt.getTime() } }, duration((Date.now() - c.startedAt.getTime()) / 1000))),
      h('p', { class: 'caller', 'data-testid': 'live-call-caller' }, phone(c.callerNumber)),
      c.callerName ? h('p', { class: 'caller-name' }, c.callerName) : null,
      c.lastSaid ? h('p', { class: 'live-said', 'data-testid': 'live-call-said', dataset: { speaker: c.lastSaid.speaker } },
        h('span', { class: 'live-said-speaker' }, c.lastSaid.speaker === 'business' ? 'Business: ' : 'Caller: '), c.lastSaid.text) : null,
      h('dl', { class: 'card-facts' },
        h('div', {}, h('dt', {}, icon('phone'), h('span', { class: 'visually-hidden' }, 'Tracking number')), h('dd', { 'data-testid': 'live-call-number' }, numberLabel(c.trackingNumber))),
        h('div', {}, h('dt', {}, icon('tag'), h('span', { class: 'visually-hidden' }, 'Campaign')), h('dd', { 'data-testid': 'live-call-campaign' }, campaignName(c.campaignId))),
        h('div', {}, h('dt', {}, icon('pin'), h('span', { class: 'visually-hidden' }, 'Caller location')), h('dd', { 'data-testid': 'live-call-geo' }, geo || 'Unknown location')),
        target ? h('div', { class: 'destination' }, h('dt', {}, icon('right'), h('span', { class: 'visually-hidden' }, c.state === 'connected' ? 'Connected to' : 'Ringing')),
          h('dd', { 'data-testid': 'live-call-destination', title: target }, c.state === 'connected' ? `Connected to ${target}` : `Ringing ${target}`)) : null));
  }

  function endedCard(c) {
    // recording: '' until recording.ready arrives, then 'ready' (or 'failed').
    const recording = c.hasRecording === undefined ? '' : c.hasRecording ? 'ready' : 'failed';
    return h('li', { class: 'ended-card', 'data-testid': 'ended-call', dataset: { callId: c.callId, disposition: c.disposition, recording } },
      h('a', { href: `#/calls/${encodeURIComponent(c.callId)}` },
        h('span', { class: 'ended-top' },
          h('span', { class: `badge disposition-${c.disposition}` }, disposition(c.disposition)),
          recording === 'ready' ? h('span', { class: 'ended-recording', title: 'Recording ready' }, icon('play', 'Recording ready')) : null),
        h('span', { class: 'ended-caller' }, phone(c.callerNumber), c.callerName ? h('span', { class: 'ended-name' }, c.callerName) : null),
        h('span', { class: 'muted' }, `${numberLabel(c.trackingNumber)} · ${duration(c.talkSeconds)} · ${time(c.endedAt)}`)));
  }

  function render() {
    const cards = [...live.active.values()].sort((a, b) => b.startedAt - a.startedAt);
    count.textContent = String(cards.length);
    if (cards.length === 0) {
      replace(grid, h('li', { class: 'empty', 'data-testid': 'board-empty' },
        icon('phone'), h('p', {}, 'No calls in progress'), h('p', { class: 'muted' }, 'New calls will appear here automatically.')));
    } else {
      replace(grid, cards.map(liveCard));
    }
    replace(strip, live.ended.length === 0
      ? h('li', { class: 'muted empty-strip' }, 'Calls that end show up here.')
      : live.ended.map(endedCard));
  }

  function tick() {
    const now = Date.now();
    for (const element of grid.querySelectorAll('[data-started]')) {
      element.textContent = duration((now - Number(element.dataset.started)) / 1000);
    }
  }

  const stopListening = live.listen((change) => {
    if (change.type === 'calls') render();
    if (change.type === 'announce') {
      const c = change.card;
      announcer.textContent = change.text === 'started'
        ? `New call from ${phone(c.callerNumber)} to ${numberLabel(c.trackingNumber)}`
        : `Call from ${phone(c.callerNumber)} ended: ${disposition(c.disposition)}`;
    }
  });
  const timer = setInterval(tick, 1000);
  directory().then((loaded) => { names = loaded; render(); });
  render();
  return () => {
    stopListening();
    clearInterval(timer);
  };
}
