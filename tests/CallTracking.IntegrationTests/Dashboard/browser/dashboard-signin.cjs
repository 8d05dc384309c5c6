// The dashboard in Chromium against a running engine: sign-in with user + password (a wrong one first) and with
// an API key, the live board, the call list, sign-out. Run by DashboardBrowserTests through BrowserScript.
//
// Environment: DASHBOARD_URL, DASHBOARD_USER, DASHBOARD_PASSWORD, DASHBOARD_API_KEY.
// --stand-in-grpc: answer the gRPC-Web calls in the browser (Playwright routes) instead of the engine, for engines
// without the gRPC-Web endpoint: ListCalls → an empty page; Subscribe → call.started and call.ringing, then
// UNAVAILABLE, then (after the resume with resume_after = 2) call.ended. The frames are built with the dashboard's
// own codec, so this checks the browser side (fetch streaming, framing, reconnect), not the engine's.
'use strict';
const path = require('node:path');
const assert = require('node:assert/strict');
const { pathToFileURL } = require('node:url');
const { withBrowser, screenshot, step } = require(process.env.CALLTRACKING_BROWSER_HELPER);

const base = process.env.DASHBOARD_URL.replace(/\/$/, '');
const user = process.env.DASHBOARD_USER;
const password = process.env.DASHBOARD_PASSWORD;
const apiKey = process.env.DASHBOARD_API_KEY;
const standIn = process.argv.includes('--stand-in-grpc');
const js = path.resolve(__dirname, '../../../../engine/Dashboard/wwwroot/assets/js');
const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

async function rest(pathname) {
  const response = await fetch(base + pathname, { headers: { authorization: `Bearer ${apiKey}` } });
  assert.equal(response.status, 200, `${pathname}: ${response.status}`);
  return (await response.json()).items;
}

function watchCsp(page, violations) {
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
}

withBrowser(async ({ newPage }) => {
  const M = await import(pathToFileURL(path.join(js, 'messages.js')));
  const { encodeFrame } = await import(pathToFileURL(path.join(js, 'grpcweb.js')));
  const grpcBody = (messages, status, message = '') => {
    const trailer = encodeFrame(new TextEncoder().encode(`grpc-status: ${status}\r\ngrpc-message: ${encodeURIComponent(message)}\r\n`), 0x80);
    return Buffer.concat([...messages.map((m) => Buffer.from(encodeFrame(m))), Buffer.from(trailer)]);
  };
  const grpcResponse = (body) => ({ status: 200, headers: { 'content-type': 'application/grpc-web+proto' }, body });

  const [campaign] = await rest('/v1/campaigns');
  const [number] = await rest('/v1/numbers');
  const cspViolations = [];

  /** Routes the gRPC-Web calls of a page when standing in for the engine; returns what Subscribe was asked. */
  async function standInFor(page, withEvents) {
    const subscribes = [];
    let releaseEnded;
    const ended = new Promise((resolve) => { releaseEnded = resolve; });
    if (!standIn) return { subscribes, releaseEnded: () => {} };
    await page.route('**/calltracking.v1.Calls/ListCalls', async (route) => {
      // Authenticate as the engine would: the same bearer against its REST API.
      const check = await fetch(`${base}/v1/organisations`, { headers: { authorization: route.request().headers().authorization ?? '' } });
      if (check.status === 401) {
        await route.fulfill({ status: 200, headers: { 'content-type': 'application/grpc-web+proto', 'grpc-status': '16', 'grpc-message': 'invalid%20token' }, body: '' });
        return;
      }
      await route.fulfill(grpcResponse(grpcBody([M.encode(M.ListCallsResponse, {})], 0)));
    });
    await page.route('**/calltracking.v1.CallEvents/Subscribe', async (route) => {
      const request = route.request();
      const body = request.postDataBuffer();
      subscribes.push({
        resumeAfter: M.decode(M.SubscribeRequest, new Uint8Array(body).subarray(5)).resumeAfter,
        authorization: request.headers().authorization,
        contentType: request.headers()['content-type'],
        grpcWeb: request.headers()['x-grpc-web'],
      });
      const common = { callId: '0b7e5c3a-1111-4222-8333-944455556666', trackingNumber: number.number, campaignId: campaign.id, organisationId: campaign.organisation_id };
      if (withEvents && subscribes.length === 1) {
        const started = M.encode(M.CallEvent, { ...common, id: 1n, kind: 'call.started', occurredAt: new Date(Date.now() - 65_000), detail: 'started',
          started: { callerNumber: '+14155550123', callerName: 'Zoë Caller', callerCountry: 'US', callerRegion: 'California', trunk: 'carrier' } });
        const ringing = M.encode(M.CallEvent, { ...common, id: 2n, kind: 'call.ringing', occurredAt: new Date(), detail: 'ringing', ringing: { legId: 'leg-1', destination: 'sip:desk@127.0.0.1', sipStatus: 180 } });
        await route.fulfill(grpcResponse(grpcBody([started, ringing], 14, 'engine restarting')));
      } else if (withEvents && subscribes.length === 2) {
        await ended;
        const end = M.encode(M.CallEvent, { ...common, id: 3n, kind: 'call.ended', occurredAt: new Date(), detail: 'ended',
          ended: { endedAt: new Date(), disposition: 'answered', hangupBy: 'caller', talkSeconds: 42 } });
        await route.fulfill(grpcResponse(grpcBody([end], 8, 'fell behind')));
      } else {
        // Trailers-only: the status in the headers, no body.
        await route.fulfill({ status: 200, headers: { 'content-type': 'application/grpc-web+proto', 'grpc-status': '14', 'grpc-message': 'later' }, body: '' });
      }
    });
    return { subscribes, releaseEnded };
  }

  // ---- User name and password ----
  const page = await newPage();
  watchCsp(page, cspViolations);
  const grpc = await standInFor(page, true);
  step(`open ${base}/`);
  await page.goto(`${base}/`);
  await byTestId(page, 'signin-form').waitFor();
  assert.equal(await page.title(), 'Sign in · CallTracking');
  await screenshot(page, 'signin');

  step('a wrong password shows an error and stays on the sign-in page');
  await byTestId(page, 'signin-username').fill(user);
  await byTestId(page, 'signin-password').fill('not-the-password');
  await byTestId(page, 'signin-submit').click();
  const error = byTestId(page, 'signin-error');
  await error.waitFor({ state: 'visible' });
  assert.match(await error.textContent(), /do not match/);
  assert.equal(await byTestId(page, 'board').count(), 0);
  await screenshot(page, 'signin-wrong-password');

  step('the right password opens the live board');
  await byTestId(page, 'signin-password').fill(password);
  await byTestId(page, 'signin-submit').click();
  await byTestId(page, 'board').waitFor();
  assert.match(await byTestId(page, 'account-name').textContent(), new RegExp(`${user} · Acme`));
  const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem('calltracking.auth')));
  assert.equal(stored.kind, 'session');
  assert.match(stored.token, /^cts_/);

  if (standIn) {
    step('call.started puts a card on the board with caller, number, campaign and geography; call.ringing updates it');
    const card = byTestId(page, 'live-call');
    await card.waitFor();
    await page.locator('[data-testid="live-call"][data-state="ringing"]').waitFor();
    assert.equal(await card.locator('[data-testid="live-call-caller"]').textContent(), '+1 415-555-0123');
    assert.equal(await card.locator('[data-testid="live-call-number"]').textContent(), 'Landing page');
    assert.equal(await card.locator('[data-testid="live-call-campaign"]').textContent(), 'Google Ads');
    assert.equal(await card.locator('[data-testid="live-call-geo"]').textContent(), 'California, United States');
    assert.match(await card.locator('[data-testid="live-call-state"]').textContent(), /Ringing sip:desk@127\.0\.0\.1/);
    assert.match(await byTestId(page, 'board-announcer').textContent(), /New call from \+1 415-555-0123 to /);
    const before = await card.locator('[data-testid="live-call-duration"]').textContent();
    assert.match(before, /^1:0\d$/);
    await page.waitForFunction((text) => document.querySelector('[data-testid="live-call-duration"]')?.textContent !== text, before, { timeout: 3000 });
    await screenshot(page, 'board-live-call');

    step('after UNAVAILABLE the client resubscribes with resume_after = 2; call.ended moves the card to the ended strip');
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-status"]').dataset.state === 'reconnecting');
    while (grpc.subscribes.length < 2) await page.waitForTimeout(50);
    grpc.releaseEnded();
    const ended = page.locator('[data-testid="ended-call"][data-disposition="answered"]');
    await ended.waitFor();
    assert.match(await ended.textContent(), /Answered.*\+1 415-555-0123.*0:42/);
    await byTestId(page, 'board-empty').waitFor();
    assert.equal(grpc.subscribes[0].resumeAfter, undefined);
    assert.equal(grpc.subscribes[1].resumeAfter, 2n);
    assert.equal(grpc.subscribes[0].authorization, `Bearer ${stored.token}`);
    assert.equal(grpc.subscribes[0].contentType, 'application/grpc-web+proto');
    assert.equal(grpc.subscribes[0].grpcWeb, '1');
    await screenshot(page, 'board-ended');
  } else {
    await byTestId(page, 'board-empty').waitFor();
    await screenshot(page, 'board');
  }

  step('the call list shows "No calls"');
  await byTestId(page, 'nav-calls').click();
  await byTestId(page, 'calls-empty').waitFor();
  assert.match(await byTestId(page, 'calls-empty').textContent(), /No calls/);
  // The campaign filter offers the organisation's campaigns (REST /v1/campaigns with the session token).
  await byTestId(page, 'filter-campaign').locator('option', { hasText: 'Google Ads' }).waitFor({ state: 'attached' });
  await screenshot(page, 'calls-empty');

  step('signing out returns to the sign-in page and forgets the token');
  await byTestId(page, 'signout').click();
  await byTestId(page, 'signin-form').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('calltracking.auth')), null);
  const revoked = await fetch(`${base}/v1/organisations`, { headers: { authorization: `Bearer ${stored.token}` } });
  assert.equal(revoked.status, 401, 'the session token still works after signing out');

  if (standIn) {
    step('a session ended elsewhere sends the user back to sign-in, saying so');
    await byTestId(page, 'signin-username').fill(user);
    await byTestId(page, 'signin-password').fill(password);
    await byTestId(page, 'signin-password').press('Enter');
    await byTestId(page, 'board').waitFor();
    const second = await page.evaluate(() => JSON.parse(sessionStorage.getItem('calltracking.auth')).token);
    assert.notEqual(second, stored.token);
    const ended = await fetch(`${base}/dashboard/session`, { method: 'DELETE', headers: { authorization: `Bearer ${second}` } });
    assert.equal(ended.status, 204);
    await byTestId(page, 'nav-calls').click();
    await byTestId(page, 'signin-notice').waitFor();
    assert.match(await byTestId(page, 'signin-notice').textContent(), /session has ended/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('calltracking.auth')), null);
    await screenshot(page, 'signin-session-ended');
  }

  // ---- API key, dark mode, narrow screen ----
  const keyPage = await newPage({ colorScheme: 'dark', viewport: { width: 390, height: 844 } });
  watchCsp(keyPage, cspViolations);
  await standInFor(keyPage, false);
  step('sign in with an API key (dark mode, phone-sized screen)');
  await keyPage.goto(`${base}/#/calls`);
  await byTestId(keyPage, 'signin-tab-key').click();
  await byTestId(keyPage, 'signin-key').fill('ctk_wrongkey_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  await byTestId(keyPage, 'signin-submit').click();
  await byTestId(keyPage, 'signin-error').waitFor({ state: 'visible' });
  assert.match(await byTestId(keyPage, 'signin-error').textContent(), /not valid/);
  await byTestId(keyPage, 'signin-key').fill(apiKey);
  await byTestId(keyPage, 'signin-submit').click();
  // Signing in returns to the page asked for: the call list.
  await byTestId(keyPage, 'calls-empty').waitFor();
  await screenshot(keyPage, 'calls-empty-key-dark');
  await byTestId(keyPage, 'nav-live').click();
  await byTestId(keyPage, 'board').waitFor();
  await byTestId(keyPage, 'board-empty').waitFor();
  const keyAuth = await keyPage.evaluate(() => JSON.parse(sessionStorage.getItem('calltracking.auth')));
  assert.equal(keyAuth.kind, 'key');
  const background = await keyPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(13, 17, 23)', 'dark mode follows prefers-color-scheme');
  await screenshot(keyPage, 'board-key-dark');

  assert.deepEqual(cspViolations, [], 'the pages broke their own Content-Security-Policy');
  step('done');
});
