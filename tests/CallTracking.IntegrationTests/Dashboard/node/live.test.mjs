import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveCalls } from '../../../../engine/Dashboard/wwwroot/assets/js/live.js';
import { duration, geography, mosRating, offset, phone, timelineOffset } from '../../../../engine/Dashboard/wwwroot/assets/js/format.js';

const at = (seconds) => new Date(Date.UTC(2026, 10, 1, 12, 0, seconds));
const event = (id, kind, callId, fields = {}) => ({ id: BigInt(id), kind, callId, occurredAt: at(id), trackingNumber: '+15551230011', campaignId: 'c1', ...fields });

test('the board follows a call from started through ringing and bridged to the ended strip', () => {
  const live = new LiveCalls();
  const changes = [];
  live.listen((change) => changes.push(change.type === 'announce' ? `announce:${change.text}` : change.type));
  live.apply(event(1, 'call.started', 'a', { detail: 'started', started: { callerNumber: '+14155550123', callerName: 'Zoë', callerCountry: 'US', callerRegion: 'California' } }));
  assert.deepEqual([...live.active.keys()], ['a']);
  const card = live.active.get('a');
  assert.equal(card.callerNumber, '+14155550123');
  assert.equal(card.callerRegion, 'California');
  assert.equal(card.startedAt.getTime(), at(1).getTime());
  assert.equal(card.state, 'incoming');

  live.apply(event(2, 'call.ringing', 'a', { detail: 'ringing', ringing: { destination: 'sip:desk@pbx', sipStatus: 180 } }));
  assert.equal(live.active.get('a').state, 'ringing');
  assert.equal(live.active.get('a').destination, 'sip:desk@pbx');
  live.apply(event(3, 'call.bridged', 'a', { detail: 'bridged', bridged: { destination: '+14155550199', answeredAt: at(3) } }));
  assert.equal(live.active.get('a').state, 'connected');
  assert.equal(live.active.get('a').destination, '+14155550199');
  live.apply(event(4, 'call.dtmf', 'a', { detail: 'dtmf', dtmf: { digit: '5' } }));
  assert.equal(live.active.get('a').lastDigit, '5');

  live.apply(event(60, 'call.ended', 'a', { detail: 'ended', ended: { disposition: 'answered', talkSeconds: 57, endedAt: at(60) } }));
  assert.equal(live.active.size, 0);
  assert.equal(live.ended[0].callId, 'a');
  assert.equal(live.ended[0].disposition, 'answered');
  assert.equal(live.ended[0].talkSeconds, 57);
  assert.equal(live.ended[0].callerNumber, '+14155550123');

  // Late events of an ended call do not bring it back; recording.ready marks it.
  live.apply(event(61, 'call.ringing', 'a', { detail: 'ringing', ringing: {} }));
  assert.equal(live.active.size, 0);
  live.apply(event(62, 'recording.ready', 'a', { detail: 'recordingReady', recordingReady: { error: '' } }));
  assert.equal(live.ended[0].hasRecording, true);
  assert.deepEqual(changes.filter((c) => c.startsWith('announce')), ['announce:started', 'announce:ended']);
});

test('an event of a call not seen from its start (a resumed stream) still makes a card; unknown kinds are ignored', () => {
  const live = new LiveCalls();
  live.apply(event(5, 'call.ringing', 'b', { detail: 'ringing', ringing: { destination: 'sip:x' } }));
  assert.equal(live.active.get('b').state, 'ringing');
  assert.equal(live.active.get('b').trackingNumber, '+15551230011');
  live.apply(event(6, 'call.transferred', 'b'));
  live.apply(event(7, 'call.started', ''));
  assert.equal(live.active.size, 1);
  assert.equal(live.active.get('b').state, 'ringing');
});

test('a live transcript segment puts the last thing said on the card, until the call ends', () => {
  const live = new LiveCalls();
  live.apply(event(1, 'call.started', 's', { detail: 'started', started: {} }));
  live.apply(event(2, 'transcript.segment', 's', { detail: 'transcriptSegment', transcriptSegment: { speaker: 'caller', startMs: 800, endMs: 2300, text: 'my sink is leaking' } }));
  assert.deepEqual(live.active.get('s').lastSaid, { speaker: 'caller', text: 'my sink is leaking' });
  live.apply(event(3, 'transcript.segment', 's', { detail: 'transcriptSegment', transcriptSegment: { speaker: 'business', text: '' } }));
  assert.equal(live.active.get('s').lastSaid.speaker, 'caller');
  live.apply(event(4, 'call.ended', 's', { detail: 'ended', ended: { disposition: 'answered' } }));
  live.apply(event(5, 'transcript.segment', 's', { detail: 'transcriptSegment', transcriptSegment: { speaker: 'business', text: 'goodbye' } }));
  assert.equal(live.active.size, 0);
  assert.equal(live.ended[0].lastSaid.text, 'my sink is leaking');
});

test('the ended strip keeps the twelve latest calls', () => {
  const live = new LiveCalls();
  for (let i = 0; i < 20; i++) {
    live.apply(event(i * 2 + 1, 'call.started', `c${i}`, { detail: 'started', started: {} }));
    live.apply(event(i * 2 + 2, 'call.ended', `c${i}`, { detail: 'ended', ended: { disposition: 'no-answer' } }));
  }
  assert.equal(live.ended.length, 12);
  assert.equal(live.ended[0].callId, 'c19');
  assert.equal(live.ended.at(-1).callId, 'c8');
  assert.equal(live.endedIds.size, 12);
});

test('formatting: phone numbers, durations, places, call quality', () => {
  assert.equal(phone('+14155550123'), '+1 415-555-0123');
  assert.equal(phone('+442079460958'), '+44 207 946 0958');
  assert.equal(phone(''), 'Withheld');
  assert.equal(phone('anonymous'), 'anonymous');
  assert.equal(phone('+353861234567'), '+353 861 234 567');
  assert.equal(phone('+4930123456'), '+49 301 23456');
  assert.equal(duration(0), '0:00');
  assert.equal(duration(7.9), '0:07');
  assert.equal(duration(754), '12:34');
  assert.equal(duration(3723), '1:02:03');
  assert.equal(duration(-5), '0:00');
  assert.equal(offset(at(10), at(7)), '+0:03');
  assert.equal(timelineOffset(new Date(at(7).getTime() + 380), at(7)), '+0.3 s');
  assert.equal(timelineOffset(at(66), at(7)), '+59.0 s');
  assert.equal(timelineOffset(at(67), at(7)), '+1:00');
  assert.equal(geography('California', 'US'), 'California, United States');
  assert.equal(geography('', ''), '');
  assert.equal(mosRating(4.3), 'good');
  assert.equal(mosRating(3.2), 'poor');
  assert.equal(mosRating(0), 'not measured');
});
