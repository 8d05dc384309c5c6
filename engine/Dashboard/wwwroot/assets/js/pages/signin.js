// Sign-in: user name + password (a dashboard session) or an API key.
import { h, replace } from '../dom.js';
import { SignInError, signInWithKey, signInWithPassword } from '../session.js';

// Said once on the next sign-in page (e.g. why the user is back here); not kept across reloads.
let notice = '';

export function setNotice(text) {
  notice = text;
}

export function mount(main, { next, onSignedIn }) {
  document.title = 'Sign in · CallTracking';
  let mode = 'password';
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'signin-error', hidden: true });
  const noticeLine = notice ? h('p', { class: 'form-notice', role: 'status', 'data-testid': 'signin-notice' }, notice) : null;
  notice = '';
  const fields = h('div', { class: 'fields' });
  const submit = h('button', { class: 'button primary wide', type: 'submit', 'data-testid': 'signin-submit' }, 'Sign in');
  const tabPassword = h('button', { type: 'button', role: 'tab', id: 'tab-password', 'aria-controls': 'signin-panel', 'data-testid': 'signin-tab-password', onclick: () => setMode('password') }, 'User name');
  const tabKey = h('button', { type: 'button', role: 'tab', id: 'tab-key', 'aria-controls': 'signin-panel', 'data-testid': 'signin-tab-key', onclick: () => setMode('key') }, 'API key');

  function setMode(value) {
    mode = value;
    tabPassword.setAttribute('aria-selected', String(mode === 'password'));
    tabKey.setAttribute('aria-selected', String(mode === 'key'));
    // Roving tabindex: Tab reaches the selected tab only; arrows move between them.
    tabPassword.tabIndex = mode === 'password' ? 0 : -1;
    tabKey.tabIndex = mode === 'key' ? 0 : -1;
    error.hidden = true;
    if (mode === 'password') {
      replace(fields,
        h('label', { for: 'username' }, 'User name'),
        h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false', 'data-testid': 'signin-username' }),
        h('label', { for: 'password' }, 'Password'),
        h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'signin-password' }));
    } else {
      replace(fields,
        h('label', { for: 'apikey' }, 'API key'),
        h('input', { id: 'apikey', name: 'apikey', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false', placeholder: 'ctk_…', 'data-testid': 'signin-key', 'aria-describedby': 'apikey-help' }),
        h('p', { id: 'apikey-help', class: 'hint' }, 'Create one with ', h('code', {}, 'calltracking keys create --org NAME'), '. It is kept in this tab only.'));
    }
    fields.querySelector('input').focus();
  }

  async function onSubmit(event) {
    event.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      if (mode === 'password') await signInWithPassword(form.username.value, form.password.value);
      else await signInWithKey(form.apikey.value);
      onSignedIn(next);
    } catch (e) {
      error.textContent = e instanceof SignInError ? e.message : `Sign-in failed: ${e.message}`;
      error.hidden = false;
      const input = fields.querySelector(mode === 'password' ? '#password' : '#apikey');
      input.select();
      input.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  }

  const onTabKey = (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    setMode(mode === 'password' ? 'key' : 'password');
    (mode === 'password' ? tabPassword : tabKey).focus();
  };
  tabPassword.addEventListener('keydown', onTabKey);
  tabKey.addEventListener('keydown', onTabKey);

  const form = h('form', { class: 'signin-form', 'data-testid': 'signin-form', novalidate: false, onsubmit: onSubmit },
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Sign in with' }, tabPassword, tabKey),
    h('div', { id: 'signin-panel', role: 'tabpanel' }, fields),
    error,
    submit);

  replace(main, h('section', { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('div', { class: 'signin-card' },
      h('img', { src: '/assets/logo.svg', alt: '', width: 48, height: 48, class: 'signin-logo' }),
      h('h1', { id: 'signin-title' }, 'Sign in to CallTracking'),
      h('p', { class: 'muted' }, 'Live calls, recordings and transcripts — on your own hardware.'),
      noticeLine,
      form)));
  setMode('password');
  return () => {};
}
