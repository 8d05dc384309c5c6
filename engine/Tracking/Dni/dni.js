/*! CallTracking dynamic number insertion.
 * <script src="https://ENGINE/dni.js" data-key="dpk_..." async></script>
 * Replaces the site's business numbers (text and tel: links, now and later) with the number the engine assigns
 * to this visitor's session, and heartbeats to keep it. No dependencies; nothing is sent but what is listed below.
 */
(function (root) {
  'use strict';

  // ---- Number matching (pure; exported for node's test runner) ----

  // A run that may be a phone number: an optional +, digits, and the separators people print between them.
  var CANDIDATE = /\+?\(?\d[\d\s().\-\u00a0\u2010-\u2015/]{5,24}\d/g;

  function digitsOf(text) {
    return String(text).replace(/\D/g, '');
  }

  // How `printed` (a candidate's digits) relates to `target` (E.164 digits, no +): how many leading printed digits
  // to keep (an international 00 prefix or a national trunk 0), or -1 when it is not the target.
  function prefixToKeep(printed, target) {
    if (printed.length < 7) return -1;
    if (printed === target) return 0;
    if (printed.slice(0, 2) === '00' && printed.slice(2) === target) return 2;
    // National format: the target without its country code (1-3 digits), with or without a trunk 0.
    for (var cc = 1; cc <= 3; cc++) {
      var national = target.slice(cc);
      if (national.length < 7) break;
      if (printed === national) return 0;
      if (printed === '0' + national) return 1;
    }
    return -1;
  }

  // Rewrites `printed` as `replacement` (E.164 digits) in the printed number's own layout: its separators and a
  // kept prefix stay, its other digits become the replacement's. When the replacement's length differs from the
  // target's, the layout cannot hold it and the result is +E.164.
  function reformat(printed, keep, replacement, target) {
    var core = digitsOf(printed).length - keep;
    if (replacement.length !== target.length) return '+' + replacement;
    var wanted = replacement.slice(replacement.length - core);
    var out = '';
    var seen = 0;
    for (var i = 0; i < printed.length; i++) {
      var ch = printed.charAt(i);
      if (ch >= '0' && ch <= '9') {
        out += seen < keep ? ch : wanted.charAt(seen - keep);
        seen++;
      } else {
        out += ch;
      }
    }
    return out;
  }

  // Replaces every printing of any of `targets` (E.164 strings) in `text` with `replacement` (E.164); returns the
  // new text (the same string when nothing matched).
  function swapText(text, targets, replacement) {
    if (!text || !replacement) return text;
    var rep = digitsOf(replacement);
    var digits = targets.map(digitsOf);
    return text.replace(CANDIDATE, function (match) {
      // A match may carry a leading "(" with no ")" or trailing separators; keep them as printed.
      var printed = digitsOf(match);
      for (var i = 0; i < digits.length; i++) {
        if (digits[i] === rep) continue;
        var keep = prefixToKeep(printed, digits[i]);
        if (keep >= 0) return reformat(match, keep, rep, digits[i]);
      }
      return match;
    });
  }

  // A tel: URI (RFC 3966 §3) for one of `targets` becomes tel:+replacement (its ;parameters kept); anything else
  // is returned as it was.
  function swapTel(href, targets, replacement) {
    if (!href || !replacement || !/^tel:/i.test(href)) return href;
    var rest = href.slice(4);
    var cut = rest.indexOf(';');
    var number = cut < 0 ? rest : rest.slice(0, cut);
    var params = cut < 0 ? '' : rest.slice(cut);
    try { number = decodeURIComponent(number); } catch (e) { /* keep it raw */ }
    var printed = digitsOf(number);
    var rep = digitsOf(replacement);
    for (var i = 0; i < targets.length; i++) {
      var target = digitsOf(targets[i]);
      if (target !== rep && prefixToKeep(printed, target) >= 0) return 'tel:+' + rep + params;
    }
    return href;
  }

  var api = { digitsOf: digitsOf, swapText: swapText, swapTel: swapTel };
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  }
  if (typeof document === 'undefined') return;

  // ---- In the page ----

  var script = document.currentScript;
  if (!script || root.CallTrackingDni) return;
  var scriptUrl = new URL(script.src, document.baseURI);
  var key = script.getAttribute('data-key') || scriptUrl.searchParams.get('key');
  if (!key) return;
  var base = new URL('/dni/v1/', scriptUrl).href;
  var SKIP = { SCRIPT: 1, STYLE: 1, NOSCRIPT: 1, TEXTAREA: 1, TEMPLATE: 1 };
  var state = { number: null, targets: [], sessionId: null, visitorId: null, timer: 0 };

  function storage(name, value) {
    try {
      if (value === undefined) return root.localStorage.getItem('ct_dni_' + name);
      root.localStorage.setItem('ct_dni_' + name, value);
    } catch (e) { /* private mode: the cookie below still holds the visitor id */ }
    return null;
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp('(?:^|; )' + name.replace(/[.$?*|{}()[\]\\/+^]/g, '\\$&') + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : null;
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  // A first-party visitor id: the same in localStorage and a cookie, so either survives when the other is cleared.
  function visitorId() {
    var id = storage('vid') || cookie('_ctvid');
    if (!id || !/^[A-Za-z0-9_.-]{8,64}$/.test(id)) id = randomId();
    storage('vid', id);
    document.cookie = '_ctvid=' + id + '; Max-Age=' + 60 * 60 * 24 * 395 + '; Path=/; SameSite=Lax' + (location.protocol === 'https:' ? '; Secure' : '');
    return id;
  }

  // GA4: _ga is GA1.1.<client id: two numbers>; _ga_<stream> is GS1.1.<session id>.… or GS2.1.s<session id>$o….
  function gaIds() {
    var ids = {};
    var ga = cookie('_ga');
    if (ga) {
      var parts = ga.split('.');
      if (parts.length >= 4) ids.ga_client_id = parts.slice(-2).join('.');
    }
    var pairs = document.cookie.split('; ');
    for (var i = 0; i < pairs.length; i++) {
      if (pairs[i].indexOf('_ga_') !== 0) continue;
      var value = decodeURIComponent(pairs[i].slice(pairs[i].indexOf('=') + 1));
      var m = /^GS\d\.\d\.s?(\d+)/.exec(value);
      if (m) { ids.ga_session_id = m[1]; break; }
    }
    return ids;
  }

  function touch() {
    var params = new URLSearchParams(location.search);
    var body = { landing_page: location.href, referrer: document.referrer || null, user_agent: navigator.userAgent };
    ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'gclid', 'gbraid', 'wbraid', 'msclkid', 'fbclid'].forEach(function (name) {
      var value = params.get(name);
      if (value) body[name] = value;
    });
    var ga = gaIds();
    if (ga.ga_client_id) body.ga_client_id = ga.ga_client_id;
    if (ga.ga_session_id) body.ga_session_id = ga.ga_session_id;
    return body;
  }

  function swapNode(node) {
    if (!state.number) return;
    if (node.nodeType === 3) {
      var parent = node.parentNode;
      if (parent && SKIP[parent.nodeName]) return;
      var swapped = swapText(node.nodeValue, state.targets, state.number);
      if (swapped !== node.nodeValue) node.nodeValue = swapped;
      return;
    }
    if (node.nodeType !== 1 || SKIP[node.nodeName]) return;
    if (node.nodeName === 'A' && node.hasAttribute('href')) {
      var href = node.getAttribute('href');
      var tel = swapTel(href, state.targets, state.number);
      if (tel !== href) node.setAttribute('href', tel);
    }
    var links = node.querySelectorAll ? node.querySelectorAll('a[href^="tel:" i]') : [];
    for (var i = 0; i < links.length; i++) swapNode(links[i]);
    var walker = document.createTreeWalker(node, 4 /* SHOW_TEXT */);
    var text;
    while ((text = walker.nextNode())) swapNode(text);
  }

  function apply(assignment) {
    state.sessionId = assignment.session_id;
    storage('sid', assignment.session_id);
    // Later numbers also replace earlier ones (a lease renewed on another number).
    var targets = (assignment.swap_numbers || []).slice();
    if (state.number && targets.indexOf(state.number) < 0) targets.push(state.number);
    state.targets = targets;
    state.number = assignment.number || null;
    api.number = state.number;
    api.sessionId = state.sessionId;
    api.assignment = assignment.assignment;
    if (state.number) swapNode(document.body || document.documentElement);
    root.clearInterval(state.timer);
    state.timer = root.setInterval(heartbeat, Math.max(5, assignment.heartbeat_seconds || 60) * 1000);
  }

  function post(path, body) {
    // text/plain keeps it a CORS "simple request": no preflight round trip before the number shows.
    return root.fetch(base + path + '?key=' + encodeURIComponent(key), {
      method: 'POST', mode: 'cors', credentials: 'omit', keepalive: true,
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(body),
    });
  }

  function start() {
    var body = touch();
    body.visitor_id = state.visitorId;
    var previous = storage('sid');
    if (previous) body.session_id = previous;
    return post('sessions', body).then(function (response) {
      if (!response.ok) throw new Error('dni: sessions answered ' + response.status);
      return response.json();
    }).then(apply);
  }

  function heartbeat() {
    if (!state.sessionId) return;
    post('sessions/' + state.sessionId + '/heartbeat', { visitor_id: state.visitorId }).then(function (response) {
      if (response.status === 404) { storage('sid', ''); return start(); }
      if (response.ok) return response.json().then(apply);
      return null;
    }).catch(function () { /* offline for a moment: the next beat tries again */ });
  }

  state.visitorId = visitorId();
  api.visitorId = state.visitorId;
  new MutationObserver(function (mutations) {
    for (var i = 0; i < mutations.length; i++) {
      var m = mutations[i];
      if (m.type === 'characterData') swapNode(m.target);
      else if (m.type === 'attributes') swapNode(m.target);
      else for (var j = 0; j < m.addedNodes.length; j++) swapNode(m.addedNodes[j]);
    }
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['href'] });
  api.ready = start().catch(function (error) { if (root.console) root.console.warn(String(error)); });
  root.CallTrackingDni = api;
})(typeof window !== 'undefined' ? window : this);
