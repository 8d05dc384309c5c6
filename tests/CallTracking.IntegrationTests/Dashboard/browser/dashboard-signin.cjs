// The dashboard in Chromium against the engine (every request is answered by the engine itself: REST, sign-in
// and gRPC-Web): sign-in with user + password (a wrong one first) and with an API key, the live board connected
// to CallEvents.Subscribe, the call list from Calls.ListCalls, sign-out, and a session ended elsewhere. The
// user and key belong to an organisation that never gets calls, so the board and list are empty whatever ran
// before. Run by DashboardBrowserTests through BrowserScript; a live call is dashboard-live-call.cjs.
//
// Environment: DASHBOARD_URL, DASHBOARD_USER, DASHBOARD_PASSWORD, DASHBOARD_API_KEY, DASHBOARD_ORGANISATION,
// DASHBOARD_CAMPAIGN (a campaign of that organisation, offered by the call list's filter).
'use strict';
const assert = require('node:assert/strict');
const { withBrowser, screenshot, step } = require(process.env.CALLTRACKING_BROWSER_HELPER);

const base = process.env.DASHBOARD_URL.replace(/\/$/, '');
const user = process.env.DASHBOARD_USER;
const password = process.env.DASHBOARD_PASSWORD;
const apiKey = process.env.DASHBOARD_API_KEY;
const organisation = process.env.DASHBOARD_ORGANISATION;
const campaign = process.env.DASHBOARD_CAMPAIGN;
const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

function watchCsp(page, violations) {
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
}

/** Records the gRPC-Web requests a page makes (method path, headers), to check what the browser really sent. */
function watchGrpc(page) {
  const requests = [];
  page.on('request', (request) => {
    if (request.url().includes('/calltracking.v1.')) {
      const headers = request.headers();
      requests.push({ path: new URL(request.url()).pathname, authorization: headers.authorization, contentType: headers['content-type'], grpcWeb: headers['x-grpc-web'] });
    }
  });
  return requests;
}

withBrowser(async ({ newPage }) => {
  const cspViolations = [];

  // ---- User name and password ----
  const page = await newPage();
  watchCsp(page, cspViolations);
  const grpc = watchGrpc(page);
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
  assert.match(await byTestId(page, 'account-name').textContent(), new RegExp(`${user} · ${organisation}`));
  const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem('calltracking.auth')));
  assert.equal(stored.kind, 'session');
  assert.match(stored.token, /^cts_/);

  step('the board subscribes to the engine\'s event stream with the session token and shows it is live');
  await byTestId(page, 'board-empty').waitFor();
  await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor();
  assert.match(await byTestId(page, 'connection-status').textContent(), /Live/);
  const subscribe = grpc.find((r) => r.path === '/calltracking.v1.CallEvents/Subscribe');
  assert.ok(subscribe, 'no CallEvents/Subscribe request');
  assert.equal(subscribe.authorization, `Bearer ${stored.token}`);
  assert.equal(subscribe.contentType, 'application/grpc-web+proto');
  assert.equal(subscribe.grpcWeb, '1');
  await screenshot(page, 'board');

  step('the call list shows "No calls"');
  await byTestId(page, 'nav-calls').click();
  await byTestId(page, 'calls-empty').waitFor();
  assert.match(await byTestId(page, 'calls-empty').textContent(), /No calls/);
  // The campaign filter offers the organisation's campaigns (REST /v1/campaigns with the session token).
  await byTestId(page, 'filter-campaign').locator('option', { hasText: campaign }).waitFor({ state: 'attached' });
  await screenshot(page, 'calls-empty');

  step('signing out returns to the sign-in page and forgets the token');
  await byTestId(page, 'signout').click();
  await byTestId(page, 'signin-form').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('calltracking.auth')), null);
  const revoked = await fetch(`${base}/v1/organisations`, { headers: { authorization: `Bearer ${stored.token}` } });
  assert.equal(revoked.status, 401, 'the session token still works after signing out');

  step('a session ended elsewhere sends the user back to sign-in, saying so');
  await byTestId(page, 'signin-username').fill(user);
  await byTestId(page, 'signin-password').fill(password);
  await byTestId(page, 'signin-password').press('Enter');
  await byTestId(page, 'board').waitFor();
  const second = await page.evaluate(() => JSON.parse(sessionStorage.getItem('calltracking.auth')).token);
  assert.notEqual(second, stored.token);
  const ended = await fetch(`${base}/dashboard/session`, { method: 'DELETE', headers: { authorization: `Bearer ${second}` } });
  assert.equal(ended.status, 204);
  // The engine refuses the ended session's next gRPC call (UNAUTHENTICATED).
  await byTestId(page, 'nav-calls').click();
  await byTestId(page, 'signin-notice').waitFor();
  assert.match(await byTestId(page, 'signin-notice').textContent(), /session has ended/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('calltracking.auth')), null);
  await screenshot(page, 'signin-session-ended');

  // ---- API key, dark mode, narrow screen ----
  const keyPage = await newPage({ colorScheme: 'dark', viewport: { width: 390, height: 844 } });
  watchCsp(keyPage, cspViolations);
  const keyGrpc = watchGrpc(keyPage);
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
  await keyPage.locator('[data-testid="connection-status"][data-state="live"]').waitFor();
  assert.ok(keyGrpc.some((r) => r.path === '/calltracking.v1.CallEvents/Subscribe' && r.authorization === `Bearer ${apiKey}`), 'the board did not subscribe with the API key');
  const keyAuth = await keyPage.evaluate(() => JSON.parse(sessionStorage.getItem('calltracking.auth')));
  assert.equal(keyAuth.kind, 'key');
  const background = await keyPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(13, 17, 23)', 'dark mode follows prefers-color-scheme');
  await screenshot(keyPage, 'board-key-dark');

  assert.deepEqual(cspViolations, [], 'the pages broke their own Content-Security-Policy');
  step('done');
});
