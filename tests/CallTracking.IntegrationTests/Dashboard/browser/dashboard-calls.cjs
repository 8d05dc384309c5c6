// The call list and the call page in Chromium: filters go into ListCalls, a row opens the call page with its
// header, attribution, timeline, legs, quality, transcript, and a recording that plays to its end; an unknown
// call says so. Run by DashboardBrowserTests through BrowserScript.
//
// Environment: DASHBOARD_URL, DASHBOARD_API_KEY.
// --stand-in-grpc: the Calls methods are answered in the browser (Playwright routes) with messages made by the
// dashboard's codec, and the recording is a WAV made here, until the engine serves gRPC-Web and recordings.
'use strict';
const path = require('node:path');
const assert = require('node:assert/strict');
const { pathToFileURL } = require('node:url');
const { withBrowser, screenshot, step } = require(process.env.CALLTRACKING_BROWSER_HELPER);

const base = process.env.DASHBOARD_URL.replace(/\/$/, '');
const apiKey = process.env.DASHBOARD_API_KEY;
const js = path.resolve(__dirname, '../../../../engine/Dashboard/wwwroot/assets/js');
const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

if (!process.argv.includes('--stand-in-grpc')) {
  console.log('this script needs --stand-in-grpc until the end-to-end test replaces it');
  process.exit(2);
}

/** A mono 8 kHz 16-bit WAV of `seconds` of a 440 Hz tone. */
function wav(seconds) {
  const rate = 8000;
  const samples = Math.round(rate * seconds);
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write('RIFF', 0); buffer.writeUInt32LE(36 + samples * 2, 4); buffer.write('WAVE', 8);
  buffer.write('fmt ', 12); buffer.writeUInt32LE(16, 16); buffer.writeUInt16LE(1, 20); buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(rate, 24); buffer.writeUInt32LE(rate * 2, 28); buffer.writeUInt16LE(2, 32); buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36); buffer.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) buffer.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return buffer;
}

withBrowser(async ({ newPage }) => {
  const M = await import(pathToFileURL(path.join(js, 'messages.js')));
  const { encodeFrame } = await import(pathToFileURL(path.join(js, 'grpcweb.js')));
  const ok = (schema, message) => ({
    status: 200,
    headers: { 'content-type': 'application/grpc-web+proto' },
    body: Buffer.concat([Buffer.from(encodeFrame(M.encode(schema, message))), Buffer.from(encodeFrame(new TextEncoder().encode('grpc-status: 0\r\n'), 0x80))]),
  });
  const decodeRequest = (route, schema) => M.decode(schema, new Uint8Array(route.request().postDataBuffer()).subarray(5));

  const start = new Date(Date.now() - 3_600_000);
  const plus = (s) => new Date(start.getTime() + s * 1000);
  const id = '0b7e5c3a-1111-4222-8333-944455556666';
  const common = { callId: id, trackingNumber: '+15551230011', campaignId: 'c1', organisationId: 'o1' };
  const call = {
    id, trackingNumber: '+15551230011', trackingNumberName: 'Landing page', campaignId: 'c1', campaignName: 'Google Ads', trunk: 'carrier',
    callerNumber: '+14155550123', callerName: 'Zoë Caller', callerCountry: 'US', callerRegion: 'California',
    startedAt: start, answeredAt: plus(4), endedAt: plus(66), ringSeconds: 4, talkSeconds: 62, disposition: 'answered', hangupBy: 'caller',
    packetsLost: 17, jitterMs: 4.75, mos: 4.21, hasRecording: true, recordingDurationMs: 1500, sipCallId: 'abc@127.0.0.1',
    legs: [
      { id: 'l1', direction: 'outbound', destination: 'sip:desk@127.0.0.1', trunk: 'office', startedAt: plus(1), endedAt: plus(3), finalStatus: 486, reason: 'Busy Here' },
      { id: 'l2', direction: 'outbound', destination: '+14155550199', trunk: 'office', startedAt: plus(3), answeredAt: plus(4), endedAt: plus(66), finalStatus: 200 },
    ],
    events: [
      { ...common, id: 1n, kind: 'call.started', occurredAt: start, detail: 'started', started: { trunk: 'carrier' } },
      { ...common, id: 2n, kind: 'call.ringing', occurredAt: plus(1), detail: 'ringing', ringing: { destination: 'sip:desk@127.0.0.1', sipStatus: 180 } },
      { ...common, id: 3n, kind: 'call.bridged', occurredAt: plus(4), detail: 'bridged', bridged: { destination: '+14155550199', answeredAt: plus(4) } },
      { ...common, id: 4n, kind: 'call.ended', occurredAt: plus(66), detail: 'ended', ended: { disposition: 'answered', hangupBy: 'caller', talkSeconds: 62 } },
      { ...common, id: 5n, kind: 'recording.ready', occurredAt: plus(67), detail: 'recordingReady', recordingReady: { durationMs: 1500, codec: 'opus' } },
    ],
  };
  const listRequests = [];

  const page = await newPage();
  const csp = [];
  page.on('console', (message) => { if (/Content Security Policy|Refused to/i.test(message.text())) csp.push(message.text()); });
  await page.route('**/calltracking.v1.CallEvents/Subscribe', (route) => route.fulfill({ status: 200, headers: { 'content-type': 'application/grpc-web+proto', 'grpc-status': '14' }, body: '' }));
  await page.route('**/calltracking.v1.Calls/ListCalls', (route) => {
    const request = decodeRequest(route, M.ListCallsRequest);
    listRequests.push(request);
    if (request.disposition === 'in-progress') return route.fulfill(ok(M.ListCallsResponse, {}));
    const summary = { ...call, legs: [], events: [] };
    return route.fulfill(ok(M.ListCallsResponse, {
      calls: [summary, { id: 'live-1', trackingNumber: '+15551230011', callerNumber: '+442079460958', startedAt: new Date() }],
      nextPageToken: request.pageToken ? '' : 'page-2',
    }));
  });
  await page.route('**/calltracking.v1.Calls/GetCall', (route) => {
    const request = decodeRequest(route, M.GetCallRequest);
    if (request.callId !== id) return route.fulfill({ status: 200, headers: { 'content-type': 'application/grpc-web+proto', 'grpc-status': '5', 'grpc-message': 'no%20such%20call' }, body: '' });
    return route.fulfill(ok(M.Call, call));
  });
  await page.route('**/calltracking.v1.Calls/GetRecordingLink', (route) =>
    route.fulfill(ok(M.RecordingLink, { url: `${base}/stand-in/recording.wav?sig=x`, expiresAt: new Date(Date.now() + 900_000), contentType: 'audio/wav', durationMs: 1500, bytes: 24044 })));
  await page.route('**/stand-in/recording.wav*', (route) => route.fulfill({ status: 200, headers: { 'content-type': 'audio/wav' }, body: wav(1.5) }));
  await page.route('**/calltracking.v1.Calls/GetTranscript', (route) => route.fulfill(ok(M.Transcript, {
    callId: id, status: 'done', language: 'en',
    segments: [{ speaker: 'caller', startMs: 0, endMs: 2500, text: 'Hi, I saw your ad.' }, { speaker: 'business', startMs: 2600, endMs: 4000, text: 'Thanks for calling!' }],
  })));

  step('sign in with the API key straight into the call list');
  await page.goto(`${base}/#/calls`);
  await byTestId(page, 'signin-tab-key').click();
  await byTestId(page, 'signin-key').fill(apiKey);
  await byTestId(page, 'signin-submit').click();
  await byTestId(page, 'calls-table').waitFor();
  const rows = byTestId(page, 'call-row');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).textContent(), /\+1 415-555-0123.*Zoë Caller.*California.*Landing page.*Google Ads.*Answered.*1:02/);
  assert.match(await rows.nth(1).textContent(), /\+44 207 946 0958.*In progress.*Live/);
  await screenshot(page, 'calls-list');

  step('filters go into the ListCalls request; paging passes the page token');
  await byTestId(page, 'filter-disposition').selectOption('answered');
  await byTestId(page, 'filter-text').fill('zoë');
  await byTestId(page, 'filter-from').fill('2026-11-01');
  await byTestId(page, 'filter-to').fill('2026-11-02');
  await byTestId(page, 'filter-apply').click();
  await page.waitForFunction(() => location.hash.includes('disposition=answered'));
  await byTestId(page, 'calls-table').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="page-next"]') && !document.querySelector('[data-testid="page-next"]').disabled);
  const filtered = listRequests.filter((r) => r.disposition === 'answered').at(-1);
  assert.equal(filtered.text, 'zoë');
  assert.equal(filtered.pageSize, 50);
  const from = filtered.startedFrom;
  const before = filtered.startedBefore;
  assert.equal(from.getFullYear() * 10000 + (from.getMonth() + 1) * 100 + from.getDate(), 20261101);
  assert.equal((before - from) / 3_600_000, 48, 'the "to" day is included: the bound is the next midnight');
  await byTestId(page, 'page-next').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="page-number"]')?.textContent === 'Page 2');
  assert.equal(listRequests.at(-1).pageToken, 'page-2');
  assert.equal(await byTestId(page, 'page-next').isDisabled(), true);
  await byTestId(page, 'page-prev').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="page-number"]')?.textContent === 'Page 1');
  assert.equal(listRequests.at(-1).pageToken, '');

  step('a row opens the call page');
  await rows.nth(0).locator('a').click();
  await byTestId(page, 'call-page').waitFor();
  assert.equal(await byTestId(page, 'call-caller').textContent(), '+1 415-555-0123');
  assert.equal(await byTestId(page, 'call-disposition').textContent(), 'Answered');
  assert.equal(await byTestId(page, 'call-tracking-number').textContent(), 'Landing page · +1 555-123-0011');
  assert.equal(await byTestId(page, 'call-campaign').textContent(), 'Google Ads');
  const timeline = byTestId(page, 'timeline-event');
  assert.deepEqual(await timeline.evaluateAll((items) => items.map((i) => i.dataset.kind)), ['call.started', 'call.ringing', 'call.bridged', 'call.ended', 'recording.ready']);
  assert.match(await timeline.nth(1).textContent(), /\+0:01.*Ringing sip:desk@127\.0\.0\.1 \(180\)/);
  assert.match(await timeline.nth(3).textContent(), /\+1:06.*Ended: Answered, hung up by caller/);
  assert.equal(await byTestId(page, 'call-leg').count(), 2);
  assert.match(await byTestId(page, 'call-legs').textContent(), /486 Busy Here.*200.*1:02/);
  assert.match(await byTestId(page, 'quality-mos').textContent(), /4\.21good/);
  assert.equal(await byTestId(page, 'quality-jitter').textContent(), '4.8 ms');
  assert.equal(await byTestId(page, 'quality-loss').textContent(), '17');
  await page.locator('[data-testid="transcript-status"][data-status="done"]').waitFor();
  assert.deepEqual(await byTestId(page, 'transcript-segment').allTextContents(), ['Caller 0:00Hi, I saw your ad.', 'Business 0:02Thanks for calling!']);

  step('the recording plays to its end');
  const audio = byTestId(page, 'call-recording');
  await audio.waitFor();
  const played = await audio.evaluate((element) => new Promise((resolve, reject) => {
    element.muted = true;
    element.addEventListener('ended', () => resolve({ duration: element.duration, time: element.currentTime }), { once: true });
    element.addEventListener('error', () => reject(new Error(`media error ${element.error?.code}`)), { once: true });
    element.play().catch(reject);
  }));
  assert.ok(Math.abs(played.duration - 1.5) < 0.05, `duration ${played.duration}`);
  await screenshot(page, 'call-page');

  step('an unknown call says there is no such call');
  await page.goto(`${base}/#/calls/no-such-call`);
  await byTestId(page, 'call-error').waitFor();
  assert.match(await byTestId(page, 'call-error').textContent(), /There is no such call/);

  assert.deepEqual(csp, [], 'the pages broke their own Content-Security-Policy');
  step('done');
});
