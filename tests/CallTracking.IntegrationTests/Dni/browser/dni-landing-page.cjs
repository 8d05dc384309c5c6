// A demo landing page on its own origin (a node HTTP server on DNI_PAGE_PORT) that includes the engine's /dni.js
// with the site key, opened with UTM parameters and a gclid. Checks that the business number in text, in a tel:
// link and in content inserted after load shows the pool number, and writes what it saw to DNI_RESULT_FILE.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const { withBrowser, screenshot, step } = require(process.env.CALLTRACKING_BROWSER_HELPER);

const engine = process.env.DNI_ENGINE_URL.replace(/\/$/, '');
const port = Number(process.env.DNI_PAGE_PORT);
const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>Acme Plumbing</title>
<script src="${engine}/dni.js" data-key="${process.env.DNI_SITE_KEY}" async></script></head>
<body>
<h1>Acme Plumbing</h1>
<p id="text">Call us on (415) 555-0100 today.</p>
<p><a id="tel" href="tel:+14155550100">+1 415.555.0100</a></p>
<p id="other">Fax: (415) 555-0199</p>
<div id="later"></div>
<script>
  // A popup's content, added after load as a single-page app would.
  setTimeout(function () {
    document.getElementById('later').innerHTML = '<p id="popup">Or ring <a id="popup-tel" href="tel:4155550100">415-555-0100</a></p>';
  }, 1500);
</script>
</body></html>`;

const server = http.createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end(page);
});

withBrowser(async ({ newPage }) => {
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  try {
    const tab = await newPage({ userAgent: 'CallTrackingDniTest/1.0 (Chromium)' });
    const url = `http://127.0.0.1:${port}/landing?utm_source=google&utm_medium=cpc&utm_campaign=spring-sale&utm_term=emergency+plumber&utm_content=ad-1&gclid=TeSt-GcLiD-123`;
    step(`open ${url}`);
    await tab.goto(url);
    await tab.waitForFunction(() => window.CallTrackingDni && window.CallTrackingDni.number, null, { timeout: 15000 });
    const dni = await tab.evaluate(() => ({ number: window.CallTrackingDni.number, sessionId: window.CallTrackingDni.sessionId, visitorId: window.CallTrackingDni.visitorId, assignment: window.CallTrackingDni.assignment }));
    step(`assigned ${dni.number} (${dni.assignment}), session ${dni.sessionId}`);
    await tab.waitForSelector('#popup-tel', { timeout: 10000 });
    // The observer swaps inserted content on the next microtask; give it a frame.
    await tab.waitForFunction(() => !document.getElementById('popup').textContent.includes('0100'), null, { timeout: 5000 });
    const seen = await tab.evaluate(() => ({
      text: document.getElementById('text').textContent,
      tel: document.getElementById('tel').getAttribute('href'),
      telText: document.getElementById('tel').textContent,
      other: document.getElementById('other').textContent,
      popup: document.getElementById('popup').textContent,
      popupTel: document.getElementById('popup-tel').getAttribute('href'),
      cookie: document.cookie,
    }));
    step(`page now reads ${JSON.stringify(seen)}`);
    await screenshot(tab, 'dni-landing-page');
    fs.writeFileSync(process.env.DNI_RESULT_FILE, JSON.stringify({ ...dni, ...seen }));
  } finally {
    server.close();
  }
});
