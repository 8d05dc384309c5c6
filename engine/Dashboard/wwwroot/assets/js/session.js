// Who is signed in, kept in sessionStorage (gone when the tab closes): a dashboard session token (cts_…, from
// user name + password) or an API key (ctk_…). Either is the Bearer for the REST API and for gRPC-Web.
import { GrpcError, GrpcWebClient, StatusCode } from './grpcweb.js';
import { Methods, decode, encode } from './messages.js';

const STORAGE_KEY = 'calltracking.auth';
const KEY_SHAPE = /^ctk_[a-z0-9]{8}_[A-Za-z0-9_-]{20,256}$/;

export class SignInError extends Error {}

export function current() {
  try {
    const auth = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (!auth?.token) return null;
    if (auth.expiresAt && Date.parse(auth.expiresAt) <= Date.now()) {
      sessionStorage.removeItem(STORAGE_KEY);
      return null;
    }
    return auth;
  } catch {
    return null;
  }
}

function store(auth) {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(auth));
}

async function problemDetail(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/** The organisations the bearer may see (REST), which also proves the bearer works. */
async function organisations(token) {
  const response = await fetch('/v1/organisations', { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  if (response.status === 401) return null;
  if (!response.ok) throw new SignInError(`The engine answered: ${await problemDetail(response)}`);
  return (await response.json()).items ?? [];
}

export async function signInWithPassword(username, password) {
  let response;
  try {
    response = await fetch('/dashboard/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    throw new SignInError('The engine cannot be reached. Check that it is running and try again.');
  }
  if (response.status === 401) throw new SignInError('That user name and password do not match.');
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after')) || 60;
    throw new SignInError(`Too many failed attempts. Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}.`);
  }
  if (!response.ok) throw new SignInError(await problemDetail(response));
  const session = await response.json();
  const orgs = (await organisations(session.token)) ?? [];
  store({ kind: 'session', token: session.token, expiresAt: session.expires_at, label: session.username, organisation: orgs[0]?.name ?? '' });
  return current();
}

export async function signInWithKey(key) {
  const trimmed = key.trim();
  if (!KEY_SHAPE.test(trimmed)) throw new SignInError('An API key looks like ctk_abcd1234_… — check that it was pasted whole.');
  let orgs;
  try {
    orgs = await organisations(trimmed);
  } catch (error) {
    if (error instanceof SignInError) throw error;
    throw new SignInError('The engine cannot be reached. Check that it is running and try again.');
  }
  if (orgs === null) throw new SignInError('This API key is not valid (unknown, revoked or mistyped).');
  store({ kind: 'key', token: trimmed, label: `Key ${trimmed.slice(4, 12)}`, organisation: orgs[0]?.name ?? '' });
  return current();
}

/** Forgets the bearer in this tab only (the engine has already refused it). */
export function forget() {
  sessionStorage.removeItem(STORAGE_KEY);
}

export async function signOut() {
  const auth = current();
  sessionStorage.removeItem(STORAGE_KEY);
  if (auth?.kind === 'session') {
    await fetch('/dashboard/session', { method: 'DELETE', headers: { authorization: `Bearer ${auth.token}` } }).catch(() => {});
  }
}

export const client = new GrpcWebClient({ token: () => current()?.token ?? null });

/** Raised on window when the engine no longer accepts the bearer (revoked key, expired or ended session). */
export const UNAUTHENTICATED_EVENT = 'calltracking:unauthenticated';

export function reportIfUnauthenticated(error) {
  if (error instanceof GrpcError && error.code === StatusCode.UNAUTHENTICATED) {
    window.dispatchEvent(new CustomEvent(UNAUTHENTICATED_EVENT));
  }
}

/** Calls a unary method of messages.js's Methods with a plain request object; returns the decoded response. */
export async function call(method, request, options) {
  const spec = Methods[method];
  try {
    const bytes = await client.unary(spec.path, encode(spec.request, request), options);
    return decode(spec.response, bytes);
  } catch (error) {
    reportIfUnauthenticated(error);
    throw error;
  }
}

/** GET a REST resource list (campaigns, numbers) with the current bearer; [] when it cannot be read. */
export async function restList(path) {
  const auth = current();
  if (!auth) return [];
  try {
    const response = await fetch(path, { headers: { authorization: `Bearer ${auth.token}`, accept: 'application/json' } });
    if (!response.ok) return [];
    return (await response.json()).items ?? [];
  } catch {
    return [];
  }
}

/** Names for the ids the event stream carries: campaign id → name, tracking number (E.164) → name. */
export async function directory() {
  const [campaigns, numbers] = await Promise.all([restList('/v1/campaigns'), restList('/v1/numbers')]);
  return {
    campaigns: new Map(campaigns.map((c) => [c.id, c.name])),
    campaignList: campaigns,
    numbers: new Map(numbers.map((n) => [n.number, n.name ?? ''])),
    numberList: numbers,
  };
}
