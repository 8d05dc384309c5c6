// Schemas of the calltracking.v1 messages the dashboard uses (grpc/protos/calltracking/v1/events.proto and
// calls.proto), for protobuf.js. Field numbers and types must match the .proto files exactly; fields the
// dashboard does not read may be left out (they are skipped as unknown).
import { decode, encode } from './protobuf.js';

const f = (name, type, extra = {}) => ({ name, type, ...extra });

export const CallStarted = {
  1: f('callerNumber', 'string'),
  2: f('callerName', 'string'),
  3: f('callerCountry', 'string'),
  4: f('callerRegion', 'string'),
  5: f('trunk', 'string'),
  6: f('trackingNumberId', 'string'),
};

export const CallRinging = {
  1: f('legId', 'string'),
  2: f('destination', 'string'),
  3: f('sipStatus', 'int32'),
};

export const CallAnswered = {
  1: f('answeredAt', 'timestamp'),
};

export const CallBridged = {
  1: f('legId', 'string'),
  2: f('destination', 'string'),
  3: f('answeredAt', 'timestamp'),
};

export const CallDtmf = {
  1: f('digit', 'string'),
  2: f('durationMs', 'int32'),
};

export const CallEnded = {
  1: f('endedAt', 'timestamp'),
  2: f('disposition', 'string'),
  3: f('hangupBy', 'string'),
  4: f('sipReason', 'string'),
  5: f('ringSeconds', 'double'),
  6: f('talkSeconds', 'double'),
};

export const RecordingReady = {
  1: f('recordingId', 'string'),
  2: f('durationMs', 'int64n'),
  3: f('bytes', 'int64n'),
  4: f('codec', 'string'),
  5: f('channels', 'int32'),
  6: f('error', 'string'),
};

/** transcript.segment (Transcription:Live); confidence (float, field 5) is not read. */
export const LiveTranscriptSegment = {
  1: f('speaker', 'string'),
  2: f('startMs', 'int64n'),
  3: f('endMs', 'int64n'),
  4: f('text', 'string'),
};

/** CallEvent: `detail` names the set oneof case ('started', 'ringing', …) or is undefined. `id` is a BigInt. */
export const CallEvent = {
  1: f('id', 'int64'),
  2: f('kind', 'string'),
  3: f('occurredAt', 'timestamp'),
  4: f('organisationId', 'string'),
  5: f('callId', 'string'),
  6: f('trackingNumber', 'string'),
  7: f('campaignId', 'string'),
  10: f('started', CallStarted, { oneof: 'detail' }),
  11: f('ringing', CallRinging, { oneof: 'detail' }),
  12: f('answered', CallAnswered, { oneof: 'detail' }),
  13: f('bridged', CallBridged, { oneof: 'detail' }),
  14: f('dtmf', CallDtmf, { oneof: 'detail' }),
  15: f('ended', CallEnded, { oneof: 'detail' }),
  16: f('recordingReady', RecordingReady, { oneof: 'detail' }),
  19: f('transcriptSegment', LiveTranscriptSegment, { oneof: 'detail' }),
  20: f('payloadJson', 'string'),
};

export const SubscribeRequest = {
  1: f('organisationIds', 'string', { repeated: true }),
  2: f('trackingNumbers', 'string', { repeated: true }),
  3: f('campaignIds', 'string', { repeated: true }),
  4: f('kinds', 'string', { repeated: true }),
  5: f('resumeAfter', 'int64', { optional: true }),
};

export const CallLeg = {
  1: f('id', 'string'),
  2: f('direction', 'string'),
  3: f('destination', 'string'),
  4: f('trunk', 'string'),
  5: f('startedAt', 'timestamp'),
  6: f('answeredAt', 'timestamp'),
  7: f('endedAt', 'timestamp'),
  8: f('finalStatus', 'int32'),
  9: f('reason', 'string'),
};

export const Call = {
  1: f('id', 'string'),
  2: f('organisationId', 'string'),
  3: f('trackingNumber', 'string'),
  4: f('trackingNumberId', 'string'),
  5: f('trackingNumberName', 'string'),
  6: f('campaignId', 'string'),
  7: f('campaignName', 'string'),
  8: f('trunk', 'string'),
  9: f('callerNumber', 'string'),
  10: f('callerName', 'string'),
  11: f('callerCountry', 'string'),
  12: f('callerRegion', 'string'),
  13: f('startedAt', 'timestamp'),
  14: f('answeredAt', 'timestamp'),
  15: f('endedAt', 'timestamp'),
  16: f('ringSeconds', 'double'),
  17: f('talkSeconds', 'double'),
  18: f('disposition', 'string'),
  19: f('hangupBy', 'string'),
  20: f('sipReason', 'string'),
  21: f('packetsLost', 'int64n'),
  22: f('jitterMs', 'double'),
  23: f('mos', 'double'),
  24: f('hasRecording', 'bool'),
  25: f('recordingDurationMs', 'int64n'),
  26: f('sipCallId', 'string'),
  27: f('twilioCallSid', 'string'),
  28: f('legs', CallLeg, { repeated: true }),
  29: f('events', CallEvent, { repeated: true }),
};

export const GetCallRequest = {
  1: f('callId', 'string'),
};

export const ListCallsRequest = {
  1: f('startedFrom', 'timestamp'),
  2: f('startedBefore', 'timestamp'),
  3: f('trackingNumber', 'string'),
  4: f('campaignId', 'string'),
  5: f('disposition', 'string'),
  6: f('text', 'string'),
  7: f('organisationId', 'string'),
  8: f('pageSize', 'int32'),
  9: f('pageToken', 'string'),
};

export const ListCallsResponse = {
  1: f('calls', Call, { repeated: true }),
  2: f('nextPageToken', 'string'),
};

export const GetRecordingLinkRequest = {
  1: f('callId', 'string'),
  2: f('expiresInSeconds', 'int32'),
};

export const RecordingLink = {
  1: f('url', 'string'),
  2: f('expiresAt', 'timestamp'),
  3: f('contentType', 'string'),
  4: f('durationMs', 'int64n'),
  5: f('bytes', 'int64n'),
};

export const GetTranscriptRequest = {
  1: f('callId', 'string'),
};

export const TranscriptSegment = {
  1: f('speaker', 'string'),
  2: f('startMs', 'int64n'),
  3: f('endMs', 'int64n'),
  4: f('text', 'string'),
};

export const Transcript = {
  1: f('callId', 'string'),
  2: f('status', 'string'),
  3: f('language', 'string'),
  4: f('segments', TranscriptSegment, { repeated: true }),
  5: f('error', 'string'),
};

/** The RPCs: gRPC-Web path, request and response schemas. */
export const Methods = {
  subscribe: { path: '/calltracking.v1.CallEvents/Subscribe', request: SubscribeRequest, response: CallEvent },
  getCall: { path: '/calltracking.v1.Calls/GetCall', request: GetCallRequest, response: Call },
  listCalls: { path: '/calltracking.v1.Calls/ListCalls', request: ListCallsRequest, response: ListCallsResponse },
  getRecordingLink: { path: '/calltracking.v1.Calls/GetRecordingLink', request: GetRecordingLinkRequest, response: RecordingLink },
  getTranscript: { path: '/calltracking.v1.Calls/GetTranscript', request: GetTranscriptRequest, response: Transcript },
};

export { decode, encode };
