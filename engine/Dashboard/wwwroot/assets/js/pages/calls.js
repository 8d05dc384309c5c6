// The call list (Calls.ListCalls): filters in the URL (#/calls?from=…&to=…&number=…&campaign=…&disposition=…&q=…)
// so a filtered view can be bookmarked and the back button works; pages by next_page_token.
import { h, icon, replace } from '../dom.js';
import { call, directory } from '../session.js';
import { DISPOSITIONS, dateTime, disposition, duration, geography, phone } from '../format.js';
import { GrpcError, StatusCode } from '../grpcweb.js';

const PAGE_SIZE = 50;

/** "2026-11-01" → local midnight of that day. */
const dayStart = (value) => {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d);
};

export function mount(main, { query, navigate }) {
  document.title = 'Calls · CallTracking';
  const controller = new AbortController();
  let names = { campaigns: new Map(), numbers: new Map(), campaignList: [], numberList: [] };
  const tokens = [''];

  const input = (id, label, attributes) => h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, name: id, value: query.get(id) ?? '', 'data-testid': `filter-${id === 'q' ? 'text' : id}`, ...attributes }));
  const campaignSelect = h('select', { id: 'campaign', name: 'campaign', 'data-testid': 'filter-campaign' }, h('option', { value: '' }, 'Any campaign'));
  const numberSelect = h('select', { id: 'number', name: 'number', 'data-testid': 'filter-number' }, h('option', { value: '' }, 'Any number'));
  const dispositionSelect = h('select', { id: 'disposition', name: 'disposition', 'data-testid': 'filter-disposition' },
    h('option', { value: '' }, 'Any result'),
    Object.entries(DISPOSITIONS).map(([value, label]) => h('option', { value, selected: query.get('disposition') === value }, label)));

  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter calls', 'data-testid': 'calls-filters', onsubmit: (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) params.set(name, value);
    navigate(`#/calls${params.size ? `?${params}` : ''}`);
  } },
    input('from', 'From', { type: 'date' }),
    input('to', 'To', { type: 'date' }),
    h('div', { class: 'field' }, h('label', { for: 'number' }, 'Tracking number'), numberSelect),
    h('div', { class: 'field' }, h('label', { for: 'campaign' }, 'Campaign'), campaignSelect),
    h('div', { class: 'field' }, h('label', { for: 'disposition' }, 'Result'), dispositionSelect),
    input('q', 'Search', { type: 'search', placeholder: 'Search calls', title: 'Caller number, caller name or words from the transcript' }),
    h('div', { class: 'field actions' },
      h('button', { class: 'button primary', type: 'submit', 'data-testid': 'filter-apply' }, 'Apply'),
      h('a', { class: 'button ghost', href: '#/calls', 'data-testid': 'filter-clear' }, 'Clear')));

  const results = h('div', { class: 'results', 'aria-live': 'polite', 'aria-busy': 'true' });
  const prev = h('button', { class: 'button', type: 'button', 'data-testid': 'page-prev', disabled: true, onclick: () => { tokens.pop(); load(); } }, icon('left'), 'Newer');
  const next = h('button', { class: 'button', type: 'button', 'data-testid': 'page-next', disabled: true }, 'Older', icon('right'));
  const pageLabel = h('span', { class: 'muted', 'data-testid': 'page-number' });

  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages', hidden: true }, prev, pageLabel, next);
  replace(main, h('div', { class: 'page calls' },
    h('header', { class: 'page-header' }, h('div', {}, h('h1', {}, 'Calls'), h('p', { class: 'muted' }, 'Every call to your tracking numbers, newest first.'))),
    form,
    results,
    pager));

  function request() {
    const r = { pageSize: PAGE_SIZE, pageToken: tokens.at(-1) };
    if (query.get('from')) r.startedFrom = dayStart(query.get('from'));
    if (query.get('to')) {
      const end = dayStart(query.get('to'));
      end.setDate(end.getDate() + 1);
      r.startedBefore = end;
    }
    if (query.get('number')) r.trackingNumber = query.get('number');
    if (query.get('campaign')) r.campaignId = query.get('campaign');
    if (query.get('disposition')) r.disposition = query.get('disposition');
    if (query.get('q')) r.text = query.get('q');
    return r;
  }

  const numberCell = (name, number) => (name ? [name, h('div', { class: 'muted small' }, phone(number))] : [phone(number)]);

  function row(c) {
    const talk = c.endedAt ? duration(c.talkSeconds) : 'Live';
    return h('tr', { 'data-testid': 'call-row', dataset: { callId: c.id } },
      h('td', {}, h('time', { datetime: c.startedAt?.toISOString() }, dateTime(c.startedAt))),
      h('td', {}, h('a', { href: `#/calls/${encodeURIComponent(c.id)}`, class: 'row-link' }, phone(c.callerNumber)), c.callerName ? h('div', { class: 'muted small' }, c.callerName) : null),
      h('td', { class: 'hide-narrow' }, geography(c.callerRegion, c.callerCountry) || '—'),
      h('td', {}, ...numberCell(c.trackingNumberName || names.numbers.get(c.trackingNumber), c.trackingNumber)),
      h('td', { class: 'hide-narrow' }, c.campaignName || names.campaigns.get(c.campaignId) || '—'),
      h('td', {}, h('span', { class: `badge disposition-${c.disposition || 'in-progress'}` }, disposition(c.disposition))),
      h('td', { class: 'numeric' }, talk),
      h('td', { class: 'icon-cell' }, c.hasRecording ? icon('play', 'Has a recording') : null));
  }

  async function load() {
    results.setAttribute('aria-busy', 'true');
    prev.disabled = true;
    next.disabled = true;
    try {
      const page = await call('listCalls', request(), { signal: controller.signal });
      if (page.calls.length === 0) {
        replace(results, h('div', { class: 'empty-state', 'data-testid': 'calls-empty' },
          icon('phone'), h('p', {}, 'No calls'), h('p', { class: 'muted' }, tokens.length > 1 || [...query.keys()].length ? 'Nothing matches these filters.' : 'Calls to your tracking numbers will be listed here.')));
      } else {
        replace(results, h('table', { class: 'table', 'data-testid': 'calls-table' },
          h('caption', { class: 'visually-hidden' }, 'Calls, newest first'),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Started'), h('th', { scope: 'col' }, 'Caller'), h('th', { scope: 'col', class: 'hide-narrow' }, 'Location'),
            h('th', { scope: 'col' }, 'Tracking number'), h('th', { scope: 'col', class: 'hide-narrow' }, 'Campaign'), h('th', { scope: 'col' }, 'Result'),
            h('th', { scope: 'col', class: 'numeric' }, 'Talk time'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Recording')))),
          h('tbody', {}, page.calls.map(row))));
      }
      prev.disabled = tokens.length <= 1;
      next.disabled = !page.nextPageToken;
      next.onclick = () => { tokens.push(page.nextPageToken); load(); };
      pageLabel.textContent = `Page ${tokens.length}`;
      // One page of results needs no pager.
      pager.hidden = tokens.length <= 1 && !page.nextPageToken;
    } catch (error) {
      if (controller.signal.aborted) return;
      const detail = error instanceof GrpcError && error.code === StatusCode.INVALID_ARGUMENT ? `Check the filters: ${error.grpcMessage}` : error.message;
      replace(results, h('div', { class: 'empty-state error', role: 'alert', 'data-testid': 'calls-error' },
        icon('alert'), h('p', {}, 'The calls could not be loaded'), h('p', { class: 'muted' }, detail),
        h('button', { class: 'button', type: 'button', onclick: load }, 'Try again')));
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  }

  directory().then((loaded) => {
    names = loaded;
    for (const c of names.campaignList) campaignSelect.append(h('option', { value: c.id, selected: query.get('campaign') === c.id }, c.name));
    for (const n of names.numberList) numberSelect.append(h('option', { value: n.number, selected: query.get('number') === n.number }, n.name ? `${n.name} (${phone(n.number)})` : phone(n.number)));
  });
  load();
  return () => controller.abort();
}
