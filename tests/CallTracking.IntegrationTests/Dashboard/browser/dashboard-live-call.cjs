// A real call through the dashboard, end to end: the board is open and live when DashboardBrowserTests places a
// call with sipp (caller → engine → business phone); the card appears, follows the call (connected) and moves
// to the ended strip; the call list shows it and filters it; its page shows the timeline, the leg, the quality
// and plays the recording to its end. Every answer comes from the engine (gRPC-Web, REST, the signed link).
//
// Environment: DASHBOARD_URL, DASHBOARD_USER, DASHBOARD_PASSWORD;
//   DASHBOARD_READY_FILE   written (empty) once the board is subscribed: the test places the call then;
//   DASHBOARD_RESULT_FILE  written with { callId, shownAt, observedAt } (epoch ms): when waitForSelector saw the
//                          card, and when a MutationObserver in the page saw it inserted. The test compares them
//                          with the time the engine committed call.started.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const assert = require('node:assert/strict');
const { withBrowser, screenshot, step } = require(process.env.CALLTRACKING_BROWSER_HELPER);

const base = process.env.DASHBOARD_URL.replace(/\/$/, '');
const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);
const js = path.resolve(__dirname, '../../../../engine/Dashboard/wwwroot/assets/js');

withBrowser(async ({ newPage }) => {
  const M = await import(pathToFileURL(path.join(js, 'messages.js')));
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  // What the engine answered to GetRecordingLink (the first gRPC-Web frame holds the message).
  const links = [];
  page.on('response', async (response) => {
    if (!response.url().endsWith('/calltracking.v1.Calls/GetRecordingLink')) return;
    const body = new Uint8Array(await response.body());
    const length = new DataView(body.buffer, body.byteOffset + 1, 4).getUint32(0, false);
    links.push(M.decode(M.RecordingLink, body.subarray(5, 5 + length)));
  });
  const csp = [];
  page.on('console', (message) => { if (/Content Security Policy|Refused to/i.test(message.text())) csp.push(message.text()); });

  step('sign in and wait until the board is subscribed');
  await page.goto(`${base}/`);
  await byTestId(page, 'signin-username').fill(process.env.DASHBOARD_USER);
  await byTestId(page, 'signin-password').fill(process.env.DASHBOARD_PASSWORD);
  await byTestId(page, 'signin-submit').click();
  await byTestId(page, 'board-empty').waitFor();
  await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor();
  // The moment each card is inserted, by the page's own clock (the same clock as the engine's: one machine).
  await page.evaluate(() => {
    window.cardsSeen = {};
    new MutationObserver(() => {
      for (const card of document.querySelectorAll('[data-testid="live-call"]')) {
        window.cardsSeen[card.dataset.callId] ??= Date.now();
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  fs.writeFileSync(process.env.DASHBOARD_READY_FILE, '');

  step('the call appears on the board');
  const handle = await page.waitForSelector('[data-testid="live-call"]', { timeout: 30_000 });
  const shownAt = Date.now();
  const callId = await handle.getAttribute('data-call-id');
  await page.waitForSelector(`[data-testid="live-call"][data-call-id="${callId}"]`, { timeout: 1000 });
  const observedAt = await page.evaluate((id) => window.cardsSeen[id], callId);
  fs.writeFileSync(process.env.DASHBOARD_RESULT_FILE, JSON.stringify({ callId, shownAt, observedAt }));
  console.log(`card ${callId} shown at ${new Date(shownAt).toISOString()} (inserted ${new Date(observedAt).toISOString()})`);

  const card = page.locator(`[data-testid="live-call"][data-call-id="${callId}"]`);
  assert.equal(await card.locator('[data-testid="live-call-caller"]').textContent(), '+1 415-555-0123');
  assert.equal(await card.locator('[data-testid="live-call-number"]').textContent(), 'Landing page');
  assert.equal(await card.locator('[data-testid="live-call-geo"]').textContent(), 'California, United States');
  // The campaign's name comes from REST /v1/campaigns (the event carries its id).
  await page.waitForFunction((id) => document.querySelector(`[data-testid="live-call"][data-call-id="${id}"] [data-testid="live-call-campaign"]`)?.textContent === 'Google Ads', callId);
  assert.match(await byTestId(page, 'board-announcer').textContent(), /New call from \+1 415-555-0123 to Landing page/);

  step('the card follows the call: ringing, then connected to the business');
  await page.locator(`[data-testid="live-call"][data-call-id="${callId}"][data-state="connected"]`).waitFor({ timeout: 10_000 });
  assert.equal(await card.locator('[data-testid="live-call-state"]').textContent(), 'Connected');
  assert.equal(await card.locator('[data-testid="live-call-destination"]').textContent(), 'Connected to +1 415-555-0199');
  assert.equal(await byTestId(page, 'live-count').textContent(), '1');
  // Let the duration tick once, so the screenshot shows a call in progress.
  await page.waitForFunction((id) => /^0:0[2-9]$/.test(document.querySelector(`[data-testid="live-call"][data-call-id="${id}"] [data-testid="live-call-duration"]`)?.textContent ?? ''), callId, { timeout: 10_000 });
  await screenshot(page, 'board-live-call');

  step('the caller hangs up: the card moves to the ended strip, and the recording becomes ready');
  const ended = page.locator(`[data-testid="ended-call"][data-call-id="${callId}"]`);
  await ended.waitFor({ timeout: 20_000 });
  assert.equal(await ended.getAttribute('data-disposition'), 'answered');
  assert.match(await ended.textContent(), /Answered.*\+1 415-555-0123.*Dana Whitfield.*Landing page.*0:0[3-7]/);
  await byTestId(page, 'board-empty').waitFor();
  await page.locator(`[data-testid="ended-call"][data-call-id="${callId}"][data-recording="ready"]`).waitFor({ timeout: 15_000 });
  await screenshot(page, 'board-ended');

  step('the call list shows the call, and its filters reach the engine');
  await byTestId(page, 'nav-calls').click();
  const row = page.locator(`[data-testid="call-row"][data-call-id="${callId}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /\+1 415-555-0123.*Dana Whitfield.*California.*Landing page.*Google Ads.*Answered.*0:0[3-7]/);
  await byTestId(page, 'filter-campaign').locator('option', { hasText: 'Google Ads' }).waitFor({ state: 'attached' });
  await screenshot(page, 'calls-list');
  await byTestId(page, 'filter-disposition').selectOption('voicemail');
  await byTestId(page, 'filter-apply').click();
  await byTestId(page, 'calls-empty').waitFor();
  assert.match(await byTestId(page, 'calls-empty').textContent(), /Nothing matches these filters/);
  await byTestId(page, 'filter-disposition').selectOption('answered');
  await byTestId(page, 'filter-text').fill('whitfield');
  await byTestId(page, 'filter-number').selectOption(process.env.DASHBOARD_TRACKING_NUMBER);
  await byTestId(page, 'filter-apply').click();
  await page.waitForFunction(() => location.hash.includes('q=whitfield'));
  await row.waitFor();
  assert.equal(await byTestId(page, 'call-row').count(), 1);
  assert.equal(await byTestId(page, 'page-next').isDisabled(), true);

  step('the row opens the call page: header, attribution, timeline, leg, quality');
  await row.locator('a').click();
  await byTestId(page, 'call-page').waitFor();
  assert.equal(await byTestId(page, 'call-caller').textContent(), '+1 415-555-0123');
  assert.equal(await byTestId(page, 'call-disposition').textContent(), 'Answered');
  assert.equal(await byTestId(page, 'call-tracking-number').textContent(), 'Landing page · +1 555-123-0011');
  assert.equal(await byTestId(page, 'call-campaign').textContent(), 'Google Ads');
  assert.equal(await byTestId(page, 'call-trunk').textContent(), 'carrier');
  assert.equal(await byTestId(page, 'call-hangup-by').textContent(), 'Caller');
  const kinds = await byTestId(page, 'timeline-event').evaluateAll((items) => items.map((i) => i.dataset.kind));
  assert.equal(kinds[0], 'call.started');
  for (const kind of ['call.ringing', 'call.bridged', 'call.ended', 'recording.ready']) assert.ok(kinds.includes(kind), `no ${kind} in ${kinds}`);
  assert.ok(kinds.indexOf('call.ended') > kinds.indexOf('call.bridged'), `${kinds}`);
  assert.match(await page.locator('[data-testid="timeline-event"][data-kind="call.bridged"]').textContent(), /Connected to \+1 415-555-0199/);
  assert.match(await page.locator('[data-testid="timeline-event"][data-kind="call.ended"]').textContent(), /Answered, hung up by the caller/);
  // The caller's leg and the one forwarded to the business.
  assert.equal(await byTestId(page, 'call-leg').count(), 2);
  assert.match(await page.locator('[data-testid="call-leg"][data-direction="inbound"]').textContent(), /\+1 415-555-0123.*carrier.*Answered/);
  assert.match(await page.locator('[data-testid="call-leg"][data-direction="outbound"]').textContent(), /\+1 415-555-0199.*business.*200 OK/);
  assert.match(await page.locator('[data-testid="timeline-event"][data-kind="call.started"]').textContent(), /^\+0\.0 s/);
  assert.match(await byTestId(page, 'quality-mos').textContent(), /^4\.\d\dgood$/);
  await page.locator('[data-testid="transcript-status"][data-status="none"]').waitFor();

  step('the recording (a signed link on the engine) plays to its end');
  const audio = byTestId(page, 'call-recording');
  await audio.waitFor();
  // The engine's link names Http:PublicUrl (localhost); the page plays it from its own origin (127.0.0.1).
  assert.equal(links.length, 1);
  assert.ok(links[0].url.startsWith(`${base.replace('127.0.0.1', 'localhost')}/recordings/${callId}?org=`), links[0].url);
  assert.equal(links[0].contentType, 'audio/ogg; codecs=opus');
  const src = await audio.evaluate((element) => element.src);
  assert.ok(src.startsWith(`${base}/recordings/${callId}?org=`), src);
  assert.match(src, /&sig=[A-Za-z0-9_-]+$/);
  await page.waitForFunction(() => document.querySelector('[data-testid="call-recording"]').readyState >= 1);
  await screenshot(page, 'call-page');
  const played = await audio.evaluate((element) => new Promise((resolve, reject) => {
    element.muted = true;
    element.playbackRate = 4;
    element.addEventListener('ended', () => resolve({ duration: element.duration, time: element.currentTime }), { once: true });
    element.addEventListener('error', () => reject(new Error(`media error ${element.error?.code} ${element.error?.message}`)), { once: true });
    element.play().catch(reject);
  }));
  console.log(`recording: duration ${played.duration} s, ended at ${played.time} s`);
  assert.ok(Number.isFinite(played.duration) && played.duration > 3 && played.duration < 10, `duration ${played.duration}`);
  assert.ok(played.time >= played.duration - 0.1, `ended at ${played.time} of ${played.duration}`);

  step('an unknown call, or an id that is not one, says there is no such call');
  for (const id of ['00000000-0000-4000-8000-000000000000', 'no-such-call']) {
    await page.goto(`${base}/#/calls/${id}`);
    await byTestId(page, 'call-error').waitFor();
    assert.match(await byTestId(page, 'call-error').textContent(), /There is no such call/);
  }

  assert.deepEqual(csp, [], 'the pages broke their own Content-Security-Policy');
  step('done');
});
