import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameParser, GrpcWebClient, GrpcError, StatusCode, encodeFrame, parseTrailers, MAX_FRAME_BYTES } from '../../../../engine/Dashboard/wwwroot/assets/js/grpcweb.js';
import { EventSubscription, StreamState } from '../../../../engine/Dashboard/wwwroot/assets/js/subscription.js';
import * as M from '../../../../engine/Dashboard/wwwroot/assets/js/messages.js';

const text = (s) => new TextEncoder().encode(s);
const trailerFrame = (status, message = '') =>
  encodeFrame(text(`grpc-status: ${status}\r\n${message ? `grpc-message: ${message}\r\n` : ''}`), 0x80);
const concat = (...parts) => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) { all.set(p, offset); offset += p.length; }
  return all;
};

// Three data frames (one empty) and the trailer frame, as one body.
const body = concat(encodeFrame(Uint8Array.of(1, 2, 3)), encodeFrame(new Uint8Array(0)), encodeFrame(new Uint8Array(300).fill(7)), trailerFrame(0));

function parseInChunks(bytes, cuts) {
  const parser = new FrameParser();
  const frames = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    frames.push(...parser.push(bytes.subarray(from, cut)));
    from = cut;
  }
  return { frames, pending: parser.pending };
}

function assertFrames(frames) {
  assert.equal(frames.length, 4);
  assert.deepEqual([...frames[0].payload], [1, 2, 3]);
  assert.equal(frames[1].payload.length, 0);
  assert.equal(frames[2].payload.length, 300);
  assert.equal(frames[3].flag, 0x80);
  assert.equal(parseTrailers(frames[3].payload).get('grpc-status'), '0');
}

test('frames parse from the whole body, one byte at a time, and at every two- and three-way split', () => {
  assertFrames(parseInChunks(body, []).frames);
  assertFrames(parseInChunks(body, Array.from({ length: body.length - 1 }, (_, i) => i + 1)).frames);
  for (let i = 0; i <= body.length; i++) {
    const { frames, pending } = parseInChunks(body, [i]);
    assertFrames(frames);
    assert.equal(pending, 0);
  }
  for (let i = 0; i <= body.length; i += 7) {
    for (let j = i; j <= body.length; j += 5) assertFrames(parseInChunks(body, [i, j]).frames);
  }
});

test('a truncated body yields only the complete frames and keeps the rest pending', () => {
  for (let length = 0; length < body.length; length++) {
    const { frames, pending } = parseInChunks(body.subarray(0, length), []);
    assert.ok(frames.length < 4, `prefix ${length}`);
    const consumed = frames.reduce((n, f) => n + 5 + f.payload.length, 0);
    assert.equal(consumed + pending, length);
  }
});

test('a frame longer than the limit is refused instead of buffered', () => {
  const header = Uint8Array.of(0, 0, 0, 0, 0);
  new DataView(header.buffer).setUint32(1, MAX_FRAME_BYTES + 1);
  assert.throws(() => new FrameParser().push(header), (e) => e instanceof GrpcError && e.code === StatusCode.RESOURCE_EXHAUSTED);
});

test('trailers: names lower-cased, grpc-message percent-decoded by the client', () => {
  const trailers = parseTrailers(text('Grpc-Status: 5\r\ngrpc-message: call%20not%20found\r\nx-extra: a:b\r\n'));
  assert.equal(trailers.get('grpc-status'), '5');
  assert.equal(trailers.get('x-extra'), 'a:b');
});

/** A fetch that answers with the given status, headers and body chunks (a real ReadableStream), recording requests. */
function fakeFetch(responses) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new TypeError('fetch failed');
    if (next.networkError) throw new TypeError('fetch failed');
    const stream = new ReadableStream({
      async pull(controller) {
        const chunk = next.chunks?.shift();
        if (chunk === undefined) {
          if (next.hang) {
            await new Promise((resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true }));
          }
          controller.close();
          return;
        }
        if (chunk === 'break') { controller.error(new TypeError('network error')); return; }
        controller.enqueue(chunk);
      },
    });
    return new Response(stream, { status: next.status ?? 200, headers: { 'content-type': 'application/grpc-web+proto', ...next.headers } });
  };
  return { fetch, calls };
}

test('unary: request is one frame with the gRPC-Web headers and bearer; response split across chunks', async () => {
  const reply = M.encode(M.GetCallRequest, { callId: 'call-1' });
  const responseBody = concat(encodeFrame(reply), trailerFrame(0));
  const { fetch, calls } = fakeFetch([{ chunks: [responseBody.subarray(0, 3), responseBody.subarray(3, 9), responseBody.subarray(9)] }]);
  const client = new GrpcWebClient({ token: () => 'cts_token', fetch });
  const bytes = await client.unary('/calltracking.v1.Calls/GetCall', M.encode(M.GetCallRequest, { callId: 'x' }));
  assert.equal(M.decode(M.GetCallRequest, bytes).callId, 'call-1');
  const { url, init } = calls[0];
  assert.equal(url, '/calltracking.v1.Calls/GetCall');
  assert.equal(init.method, 'POST');
  assert.equal(init.headers['content-type'], 'application/grpc-web+proto');
  assert.equal(init.headers['x-grpc-web'], '1');
  assert.equal(init.headers.authorization, 'Bearer cts_token');
  assert.deepEqual([...init.body], [0, 0, 0, 0, 3, 0x0a, 0x01, 0x78]);
});

test('errors: trailer status, trailers-only headers, HTTP status, missing trailers, network failure', async () => {
  const client = (response) => new GrpcWebClient({ fetch: fakeFetch([response]).fetch });
  const call = (c) => c.unary('/calltracking.v1.Calls/GetCall', new Uint8Array(0));
  await assert.rejects(call(client({ chunks: [trailerFrame(5, 'no%20such%20call')] })),
    (e) => e instanceof GrpcError && e.code === StatusCode.NOT_FOUND && e.grpcMessage === 'no such call');
  await assert.rejects(call(client({ headers: { 'grpc-status': '16', 'grpc-message': 'bad%20key' }, chunks: [] })),
    (e) => e.code === StatusCode.UNAUTHENTICATED && e.grpcMessage === 'bad key');
  await assert.rejects(call(client({ status: 503, headers: { 'content-type': 'application/problem+json' }, chunks: [text('{}')] })),
    (e) => e.code === StatusCode.UNAVAILABLE);
  await assert.rejects(call(client({ status: 401, headers: { 'content-type': 'application/problem+json' }, chunks: [] })),
    (e) => e.code === StatusCode.UNAUTHENTICATED);
  await assert.rejects(call(client({ chunks: [encodeFrame(Uint8Array.of(1))] })), (e) => e.code === StatusCode.UNAVAILABLE);
  await assert.rejects(call(client({ chunks: [encodeFrame(Uint8Array.of(1)).subarray(0, 3)] })), (e) => e.code === StatusCode.UNAVAILABLE && /inside a frame/.test(e.message));
  await assert.rejects(call(client({ chunks: [encodeFrame(Uint8Array.of(1)), 'break'] })), (e) => e.code === StatusCode.UNAVAILABLE);
  await assert.rejects(call(client({ networkError: true })), (e) => e.code === StatusCode.UNAVAILABLE);
});

test('a server stream yields each message as its frame completes, and abort cancels it', async () => {
  const events = [1n, 2n].map((id) => encodeFrame(M.encode(M.CallEvent, { id, kind: 'call.started' })));
  const { fetch } = fakeFetch([{ chunks: [events[0], events[1]], hang: true }]);
  const client = new GrpcWebClient({ fetch });
  const controller = new AbortController();
  const seen = [];
  await assert.rejects((async () => {
    for await (const bytes of client.serverStream('/calltracking.v1.CallEvents/Subscribe', new Uint8Array(0), { signal: controller.signal })) {
      seen.push(M.decode(M.CallEvent, bytes).id);
      if (seen.length === 2) controller.abort();
    }
  })(), (e) => e.code === StatusCode.CANCELLED);
  assert.deepEqual(seen, [1n, 2n]);
});

test('the subscription reconnects after RESOURCE_EXHAUSTED and a network error, resuming after the last id, and stops on UNAUTHENTICATED', async () => {
  const frame = (id) => encodeFrame(M.encode(M.CallEvent, { id, kind: 'call.ringing' }));
  const { fetch, calls } = fakeFetch([
    { chunks: [frame(7n), frame(8n), trailerFrame(8, 'too%20slow')] },
    { networkError: true },
    { chunks: [frame(9n), 'break'] },
    { headers: { 'grpc-status': '16' }, chunks: [] },
  ]);
  const states = [];
  const waits = [];
  const ids = [];
  const subscription = new EventSubscription(new GrpcWebClient({ fetch }), { kinds: ['call.ringing'] }, {
    onEvent: (e) => ids.push(e.id),
    onState: (s) => states.push(s.state),
    random: () => 1,
    sleep: async (ms) => { waits.push(ms); },
  });
  await subscription.start();
  assert.deepEqual(ids, [7n, 8n, 9n]);
  const resumes = calls.map((c) => M.decode(M.SubscribeRequest, c.init.body.subarray(5)).resumeAfter);
  assert.deepEqual(resumes, [undefined, 8n, 8n, 9n]);
  assert.deepEqual(M.decode(M.SubscribeRequest, calls[0].init.body.subarray(5)).kinds, ['call.ringing']);
  // Backoff doubles while failing, and starts again after an event arrived.
  assert.deepEqual(waits, [500, 1000, 500]);
  assert.equal(states.at(-1), StreamState.FAILED);
  assert.ok(states.includes(StreamState.LIVE));
});

test('stop() ends a live subscription without reconnecting', async () => {
  const { fetch, calls } = fakeFetch([{ chunks: [], hang: true }]);
  const states = [];
  const subscription = new EventSubscription(new GrpcWebClient({ fetch }), {}, { onState: (s) => states.push(s.state) });
  const done = subscription.start();
  while (!states.includes(StreamState.LIVE)) await new Promise((r) => setTimeout(r, 1));
  await subscription.stop();
  await done;
  assert.equal(calls.length, 1);
  assert.equal(states.at(-1), StreamState.STOPPED);
});
