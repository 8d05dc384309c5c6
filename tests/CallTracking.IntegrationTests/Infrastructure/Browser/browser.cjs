// Helpers for the browser scripts run by BrowserScript.cs: launch Debian's Chromium through playwright-core
// with the flags a closed network needs, record every page's console and errors, and screenshot into the
// test's folder (all pages again on failure). Usage:
//   const { withBrowser, screenshot } = require(process.env.CALLTRACKING_BROWSER_HELPER);
//   withBrowser(async ({ browser, newPage }) => { const page = await newPage(); ... });
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require(path.join(process.env.CALLTRACKING_NODE_PEERS, 'node_modules', 'playwright-core'));

// TESTING.md: Chromium stays quiet on a closed network with these; Playwright adds --headless and a fresh profile.
const FLAGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  // Recordings are played by the tests without a user gesture.
  '--autoplay-policy=no-user-gesture-required'];

async function launch() {
  const args = [...FLAGS];
  // Chromium's sandbox cannot start as root (CI runs as root).
  if (process.env.CALLTRACKING_NO_SANDBOX === '1') args.push('--no-sandbox');
  return chromium.launch({ executablePath: process.env.CALLTRACKING_CHROMIUM || '/usr/bin/chromium', headless: true, args, timeout: 60_000 });
}

async function screenshot(page, name) {
  const folder = process.env.CALLTRACKING_SCREENSHOTS || '.';
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot ${file}`);
  return file;
}

/** Runs main({ browser, newPage }) and exits 0, or prints the error, screenshots every page and exits 1. */
function withBrowser(main) {
  (async () => {
    const browser = await launch();
    const pages = [];
    const newPage = async (options = {}) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options });
      const page = await context.newPage();
      const label = `page ${pages.length + 1}`;
      page.on('console', (message) => console.log(`[${label} console.${message.type()}] ${message.text()}`));
      page.on('pageerror', (error) => console.log(`[${label} error] ${error.stack || error}`));
      page.on('requestfailed', (request) => console.log(`[${label} request failed] ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
      pages.push(page);
      return page;
    };
    try {
      await main({ browser, newPage });
    } catch (error) {
      console.error(`FAILED: ${error.stack || error}`);
      for (const [i, page] of pages.entries()) {
        try { await screenshot(page, `failure-${i + 1}`); } catch { /* the page may be gone */ }
      }
      await browser.close();
      process.exit(1);
    }
    await browser.close();
    process.exit(0);
  })().catch((error) => {
    console.error(`FAILED to start the browser: ${error.stack || error}`);
    process.exit(2);
  });
}

/** Logs a step so that the output reads as what the script did. */
function step(text) {
  console.log(`- ${text}`);
}

module.exports = { launch, screenshot, withBrowser, step };
