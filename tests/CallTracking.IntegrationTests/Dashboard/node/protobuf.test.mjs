import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader, Writer, ProtobufError, decode, encode } from '../../../../engine/Dashboard/wwwroot/assets/js/protobuf.js';
import * as M from '../../../../engine/Dashboard/wwwroot/assets/js/messages.js';
import { fixtures, skipWithoutFixtures, hex } from './fixtures.mjs';

// The values below are the ones ProtobufFixtures.cs builds its messages from.
const at = (iso) => new Date(iso);

test('varints round-trip at every length, negatives as ten bytes', () => {
  const values = [0n, 1n, 127n, 128n, 300n, 16383n, 16384n, 2n ** 31n - 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n - 1n, -1n, -(2n ** 63n)];
  for (const value of values) {
    const writer = new Writer();
    writer.varint64(value);
    const bytes = writer.finish();
    if (value < 0n) assert.equal(bytes.length, 10);
    assert.equal(new Reader(bytes).int64(), value, `value ${value}`);
  }
  const w = new Writer();
  w.varint64(-5);
  assert.equal(new Reader(w.finish()).int32(), -5);
});

test('truncated and overlong input throws ProtobufError, never returns garbage', () => {
  assert.throws(() => new Reader(Uint8Array.of(0x80)).int64(), ProtobufError);
  assert.throws(() => new Reader(new Uint8Array(11).fill(0xff)).int64(), ProtobufError);
  assert.throws(() => decode(M.GetCallRequest, Uint8Array.of(0x0a, 0x05, 0x61)), ProtobufError);
  assert.throws(() => decode(M.GetCallRequest, Uint8Array.of(0x0f)), ProtobufError); // wire type 7
  assert.throws(() => decode(M.GetCallRequest, Uint8Array.of(0x00)), ProtobufError); // field 0
});

test('an empty message decodes to proto3 defaults', () => {
  const call = decode(M.Call, new Uint8Array(0));
  assert.equal(call.id, '');
  assert.equal(call.hasRecording, false);
  assert.equal(call.mos, 0);
  assert.equal(call.startedAt, null);
  assert.deepEqual(call.legs, []);
  const event = decode(M.CallEvent, new Uint8Array(0));
  assert.equal(event.id, 0n);
  assert.equal(event.detail, undefined);
});

test('call.started event made by Google.Protobuf decodes with a 64-bit id beyond 2^53', { skip: skipWithoutFixtures }, () => {
  const event = decode(M.CallEvent, fixtures.eventStarted);
  assert.equal(event.id, 2n ** 53n + 1n);
  assert.equal(event.kind, 'call.started');
  assert.equal(event.occurredAt.toISOString(), '2026-11-01T12:00:00.123Z');
  assert.equal(event.organisationId, '7f1c1f52-6a43-4c8e-9a0a-1b2c3d4e5f60');
  assert.equal(event.callId, '0b7e5c3a-1111-4222-8333-944455556666');
  assert.equal(event.trackingNumber, '+15551230011');
  assert.equal(event.campaignId, 'c0ffee00-0000-4000-8000-000000000001');
  assert.equal(event.detail, 'started');
  assert.deepEqual(event.started, {
    callerNumber: '+14155550123', callerName: 'Zoë Caller – 東京', callerCountry: 'US', callerRegion: 'California',
    trunk: 'twilio', trackingNumberId: 'tn-1',
  });
  assert.equal(event.ended, undefined);
  assert.equal(event.payloadJson, '{"caller":"+14155550123"}');
});

test('every typed detail decodes: ringing, answered, bridged, dtmf (negative int32), ended, recording.ready', { skip: skipWithoutFixtures }, () => {
  const ringing = decode(M.CallEvent, fixtures.eventRinging);
  assert.equal(ringing.detail, 'ringing');
  assert.deepEqual(ringing.ringing, { legId: 'leg-2', destination: 'sip:desk@10.0.0.5', sipStatus: 180 });
  const answered = decode(M.CallEvent, fixtures.eventAnswered);
  assert.equal(answered.answered.answeredAt.toISOString(), '2026-11-01T12:00:02.000Z');
  const bridged = decode(M.CallEvent, fixtures.eventBridged);
  assert.equal(bridged.bridged.destination, '+14155550199');
  assert.equal(bridged.bridged.answeredAt.toISOString(), '2026-11-01T12:00:05.500Z');
  const dtmf = decode(M.CallEvent, fixtures.eventDtmf);
  assert.deepEqual(dtmf.dtmf, { digit: '#', durationMs: -5 });
  const ended = decode(M.CallEvent, fixtures.eventEnded);
  assert.equal(ended.id, 42n);
  assert.equal(ended.detail, 'ended');
  assert.equal(ended.ended.endedAt.toISOString(), '2026-11-01T12:01:06.750Z');
  assert.equal(ended.ended.disposition, 'answered');
  assert.equal(ended.ended.hangupBy, 'caller');
  assert.equal(ended.ended.ringSeconds, 3.5);
  assert.equal(ended.ended.talkSeconds, 61.25);
  const recording = decode(M.CallEvent, fixtures.eventRecordingReady);
  assert.deepEqual(recording.recordingReady, { recordingId: 'rec-1', durationMs: 61000, bytes: 5_000_000_000, codec: 'opus', channels: 2, error: '' });
  // transcript.segment: the float confidence (fixed32) is skipped, the rest typed.
  const segment = decode(M.CallEvent, fixtures.eventTranscriptSegment);
  assert.equal(segment.detail, 'transcriptSegment');
  assert.deepEqual(segment.transcriptSegment, { speaker: 'caller', startMs: 800, endMs: 2300, text: 'my sink is leaking' });
});

test('unknown fields of every wire type (varint, fixed64, bytes, fixed32, group) are skipped', { skip: skipWithoutFixtures }, () => {
  assert.deepEqual(decode(M.CallEvent, fixtures.eventEndedWithUnknownFields), decode(M.CallEvent, fixtures.eventEnded));
  // A kind this version does not type: no detail, the payload as JSON.
  const future = decode(M.CallEvent, fixtures.eventUntyped);
  assert.equal(future.kind, 'call.transferred');
  assert.equal(future.detail, undefined);
  assert.equal(future.payloadJson, '{"to":"+14155550100"}');
});

test('a full Call (GetCall) decodes with legs, events and quality', { skip: skipWithoutFixtures }, () => {
  const call = decode(M.Call, fixtures.callFull);
  assert.equal(call.id, '0b7e5c3a-1111-4222-8333-944455556666');
  assert.equal(call.trackingNumberName, 'Google Ads – landing');
  assert.equal(call.campaignName, 'Search');
  assert.equal(call.callerRegion, 'California');
  assert.equal(call.startedAt.toISOString(), '2026-11-01T12:00:00.123Z');
  assert.equal(call.answeredAt.toISOString(), '2026-11-01T12:00:02.000Z');
  assert.equal(call.endedAt.toISOString(), '2026-11-01T12:01:06.750Z');
  assert.equal(call.talkSeconds, 61.25);
  assert.equal(call.disposition, 'answered');
  assert.equal(call.packetsLost, 17);
  assert.equal(call.jitterMs, 4.75);
  assert.equal(call.mos, 4.21);
  assert.equal(call.hasRecording, true);
  assert.equal(call.recordingDurationMs, 61000);
  assert.equal(call.twilioCallSid, 'CA0123456789abcdef0123456789abcdef');
  assert.equal(call.legs.length, 2);
  assert.deepEqual(call.legs.map((l) => [l.direction, l.destination, l.finalStatus, l.reason]),
    [['outbound', 'sip:desk@10.0.0.5', 486, 'Busy Here'], ['outbound', '+14155550199', 200, '']]);
  assert.equal(call.legs[1].endedAt.toISOString(), '2026-11-01T12:01:06.750Z');
  assert.equal(call.legs[0].answeredAt, null);
  assert.deepEqual(call.events.map((e) => [e.id, e.kind, e.detail]), [[41n, 'call.started', 'started'], [42n, 'call.ended', 'ended']]);
});

test('ListCallsResponse, RecordingLink and Transcript decode', { skip: skipWithoutFixtures }, () => {
  const page = decode(M.ListCallsResponse, fixtures.listResponse);
  assert.equal(page.calls.length, 2);
  assert.equal(page.calls[1].disposition, '');
  assert.equal(page.calls[1].endedAt, null);
  assert.equal(page.nextPageToken, 'page-2');
  const link = decode(M.RecordingLink, fixtures.recordingLink);
  assert.equal(link.url, 'http://127.0.0.1:8080/media/recordings/abc?sig=x%2By');
  assert.equal(link.expiresAt.toISOString(), '2026-11-01T12:15:00.000Z');
  assert.equal(link.contentType, 'audio/ogg; codecs=opus');
  assert.equal(link.bytes, 123456);
  const transcript = decode(M.Transcript, fixtures.transcript);
  assert.equal(transcript.status, 'done');
  assert.equal(transcript.language, 'en');
  assert.deepEqual(transcript.segments.map((s) => [s.speaker, s.startMs, s.endMs, s.text]),
    [['caller', 0, 2500, 'Hi, I saw your ad.'], ['business', 2600, 4000, 'Thanks for calling!']]);
});

test('requests encode to the same bytes as Google.Protobuf', { skip: skipWithoutFixtures }, () => {
  assert.equal(hex(encode(M.SubscribeRequest, { organisationIds: ['org-a', 'org-b'], kinds: ['call.started', 'call.ended'], resumeAfter: 0n })), hex(fixtures.subscribeResumeZero));
  assert.equal(hex(encode(M.SubscribeRequest, { trackingNumbers: ['+15551230011'], campaignIds: ['c1'], resumeAfter: 2n ** 63n - 1n })), hex(fixtures.subscribeResumeMax));
  assert.equal(hex(encode(M.SubscribeRequest, {})), hex(fixtures.subscribeEmpty));
  assert.equal(hex(encode(M.ListCallsRequest, {
    startedFrom: at('2026-11-01T00:00:00.000Z'), startedBefore: at('2026-11-02T00:00:00.250Z'), trackingNumber: '+15551230011',
    campaignId: 'c1', disposition: 'in-progress', text: 'zoë', pageSize: 25, pageToken: 'tok',
  })), hex(fixtures.listRequest));
  assert.equal(hex(encode(M.ListCallsRequest, { pageSize: -1 })), hex(fixtures.listRequestNegative));
  assert.equal(hex(encode(M.GetCallRequest, { callId: 'call-1' })), hex(fixtures.getCallRequest));
  assert.equal(hex(encode(M.GetRecordingLinkRequest, { callId: 'call-1', expiresInSeconds: 900 })), hex(fixtures.recordingLinkRequest));
  assert.equal(hex(encode(M.GetTranscriptRequest, { callId: 'call-1' })), hex(fixtures.transcriptRequest));
});

test('decoding then encoding a full Call gives back the bytes (field order, defaults, nesting)', { skip: skipWithoutFixtures }, () => {
  assert.equal(hex(encode(M.Call, decode(M.Call, fixtures.callFull))), hex(fixtures.callFull));
});
