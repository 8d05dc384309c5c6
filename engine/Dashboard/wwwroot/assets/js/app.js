// The dashboard's shell: hash routes (#/live, #/calls, #/calls/<id>, #/signin), the top bar with the
// connection indicator, and the live model that runs while someone is signed in.
import * as session from './session.js';
import { LiveCalls } from './live.js';
import { replace } from './dom.js';
import * as signin from './pages/signin.js';
import * as board from './pages/board.js';
import * as calls from './pages/calls.js';
import * as callPage from './pages/call.js';

const main = document.getElementById('main');
const topbar = document.querySelector('[data-testid="topbar"]');
const connection = document.querySelector('[data-testid="connection-status"]');
const account = document.querySelector('[data-testid="account-name"]');
const live = new LiveCalls();
let unmount = null;

const CONNECTION_TEXT = {
  idle: 'Offline',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  failed: 'Disconnected',
  stopped: 'Offline',
};

function showConnection() {
  const { state, retryInMs, error } = live.connection;
  connection.dataset.state = state;
  let text = CONNECTION_TEXT[state] ?? state;
  if (state === 'reconnecting' && retryInMs) text = `Reconnecting in ${Math.ceil(retryInMs / 1000)} s`;
  connection.querySelector('.label').textContent = text;
  connection.title = error ? error.message : text;
}
live.listen((change) => {
  if (change.type !== 'connection') return;
  showConnection();
  if (live.connection.state === 'failed') session.reportIfUnauthenticated(live.connection.error);
});

// The key was revoked or the session ended (12 h, signed out elsewhere, user removed): back to sign-in, saying why.
window.addEventListener(session.UNAUTHENTICATED_EVENT, () => {
  live.stop();
  session.forget();
  signin.setNotice('Your session has ended. Sign in again to continue.');
  navigate(`#/signin`);
});

/** "#/calls/abc?x=1" → { path: ['calls', 'abc'], query: URLSearchParams }. */
function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function setNav(active) {
  for (const link of document.querySelectorAll('.nav a')) {
    if (link.dataset.route === active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function route() {
  unmount?.();
  unmount = null;
  const { path, query } = parseHash();
  const auth = session.current();
  if (!auth || path[0] === 'signin') {
    if (auth && path[0] === 'signin') return navigate('#/live');
    live.stop();
    topbar.hidden = true;
    document.title = 'Sign in · CallTracking';
    unmount = signin.mount(main, {
      next: path[0] && path[0] !== 'signin' ? location.hash : '#/live',
      onSignedIn: (target) => navigate(target),
    });
    return;
  }

  topbar.hidden = false;
  account.textContent = auth.organisation ? `${auth.label} · ${auth.organisation}` : auth.label;
  live.start();
  showConnection();
  const context = { live, navigate, query };
  if (path[0] === 'calls' && path[1]) {
    setNav('calls');
    unmount = callPage.mount(main, { ...context, callId: path[1] });
  } else if (path[0] === 'calls') {
    setNav('calls');
    unmount = calls.mount(main, context);
  } else {
    setNav('live');
    unmount = board.mount(main, context);
  }
  // Move focus to the new page for keyboard and screen-reader users (not on the first load).
  if (document.activeElement && document.activeElement !== document.body) main.focus({ preventScroll: true });
}

document.querySelector('[data-testid="signout"]').addEventListener('click', async () => {
  live.stop();
  await session.signOut();
  replace(main);
  navigate('#/signin');
});

window.addEventListener('hashchange', route);
route();
