// gRPC-Web over fetch (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-WEB.md), binary mode
// (application/grpc-web+proto). A request body is one frame: flag byte 0, a 4-byte big-endian length, the
// message. A response body is frames: data frames (flag 0x00) carry messages, the last frame (flag 0x80)
// carries the trailers as HTTP/1 header lines ("grpc-status: 0\r\ngrpc-message: …\r\n"). An error before any
// message may instead come "trailers-only": grpc-status in the HTTP response headers and an empty body.

export const StatusCode = Object.freeze({
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
});

const STATUS_NAMES = Object.fromEntries(Object.entries(StatusCode).map(([name, code]) => [code, name]));

const FLAG_TRAILERS = 0x80;
const FLAG_COMPRESSED = 0x01;
const HEADER_BYTES = 5;

/** Frames larger than this are refused (a corrupt length would otherwise make us buffer forever). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export class GrpcError extends Error {
  constructor(code, message, metadata = new Map(), options = undefined) {
    super(`${STATUS_NAMES[code] ?? code}: ${message}`, options);
    this.name = 'GrpcError';
    this.code = code;
    this.grpcMessage = message;
    this.metadata = metadata;
  }
}

/** The 5-byte-prefixed frame for one request message. */
export function encodeFrame(message, flag = 0) {
  const frame = new Uint8Array(HEADER_BYTES + message.length);
  frame[0] = flag;
  new DataView(frame.buffer).setUint32(1, message.length, false);
  frame.set(message, HEADER_BYTES);
  return frame;
}

/**
 * Splits a response body into frames as its chunks arrive, wherever the chunk boundaries fall (inside the
 * 5-byte header, inside a message, several frames in one chunk). push() returns the frames completed by the
 * chunk; `pending` is the number of bytes held for an incomplete frame.
 */
export class FrameParser {
  #buffer = new Uint8Array(0);

  get pending() {
    return this.#buffer.length;
  }

  push(chunk) {
    let buffer = this.#buffer;
    if (buffer.length === 0) {
      buffer = chunk;
    } else if (chunk.length > 0) {
      const joined = new Uint8Array(buffer.length + chunk.length);
      joined.set(buffer);
      joined.set(chunk, buffer.length);
      buffer = joined;
    }

    const frames = [];
    let offset = 0;
    while (buffer.length - offset >= HEADER_BYTES) {
      const flag = buffer[offset];
      const length = new DataView(buffer.buffer, buffer.byteOffset + offset + 1, 4).getUint32(0, false);
      if (length > MAX_FRAME_BYTES) {
        throw new GrpcError(StatusCode.RESOURCE_EXHAUSTED, `response frame of ${length} bytes exceeds ${MAX_FRAME_BYTES}`);
      }
      if (buffer.length - offset - HEADER_BYTES < length) break;
      const start = offset + HEADER_BYTES;
      // slice: the frame must not keep (or be changed through) the reader's chunk.
      frames.push({ flag, payload: buffer.slice(start, start + length) });
      offset = start + length;
    }
    this.#buffer = offset === buffer.length ? new Uint8Array(0) : buffer.slice(offset);
    return frames;
  }
}

/** Trailer frame payload → Map of lower-case names to values (grpc-message percent-decoded). */
export function parseTrailers(payload) {
  const text = new TextDecoder().decode(payload);
  const trailers = new Map();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return trailers;
}

function decodeGrpcMessage(value) {
  if (!value) return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The status in a set of trailers (or trailers-only headers); null when grpc-status is absent. */
export function statusOf(trailers) {
  const raw = trailers.get('grpc-status');
  if (raw === undefined || raw === null) return null;
  const code = Number.parseInt(raw, 10);
  return {
    code: Number.isNaN(code) ? StatusCode.UNKNOWN : code,
    message: decodeGrpcMessage(trailers.get('grpc-message')),
    trailers,
  };
}

// https://github.com/grpc/grpc/blob/master/doc/http-grpc-status-mapping.md
function statusForHttp(status) {
  switch (status) {
    case 400: return StatusCode.INTERNAL;
    case 401: return StatusCode.UNAUTHENTICATED;
    case 403: return StatusCode.PERMISSION_DENIED;
    case 404: return StatusCode.UNIMPLEMENTED;
    case 429: case 502: case 503: case 504: return StatusCode.UNAVAILABLE;
    default: return StatusCode.UNKNOWN;
  }
}

function headersMap(headers) {
  const map = new Map();
  headers.forEach((value, name) => map.set(name.toLowerCase(), value));
  return map;
}

/**
 * A gRPC-Web client for one origin. `token()` returns the bearer (an API key or a dashboard session token)
 * at call time, so a new sign-in applies to the next call. `fetch` is injectable for tests.
 */
export class GrpcWebClient {
  constructor({ baseUrl = '', token = () => null, fetch: fetchImpl = globalThis.fetch.bind(globalThis) } = {}) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.fetch = fetchImpl;
  }

  /** One request, one response message (Uint8Array). Throws GrpcError. */
  async unary(path, request, { signal } = {}) {
    let response = null;
    for await (const message of this.serverStream(path, request, { signal })) {
      if (response !== null) throw new GrpcError(StatusCode.INTERNAL, 'a unary call returned more than one message');
      response = message;
    }
    if (response === null) throw new GrpcError(StatusCode.INTERNAL, 'a unary call returned no message');
    return response;
  }

  /**
   * One request, a stream of response messages (Uint8Array each) as they arrive. Ends after an OK status;
   * throws GrpcError for any other status, for HTTP errors, network failures (UNAVAILABLE) and cancellation
   * through `signal` (CANCELLED). `onOpen()` is called once the engine has accepted the call (response headers
   * without an error), before any message.
   */
  async *serverStream(path, request, { signal, onOpen } = {}) {
    const headers = {
      'content-type': 'application/grpc-web+proto',
      accept: 'application/grpc-web+proto',
      'x-grpc-web': '1',
    };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;

    let response;
    try {
      response = await this.fetch(this.baseUrl + path, { method: 'POST', headers, body: encodeFrame(request), signal, cache: 'no-store' });
    } catch (error) {
      throw signal?.aborted
        ? new GrpcError(StatusCode.CANCELLED, 'cancelled by the client', new Map(), { cause: error })
        : new GrpcError(StatusCode.UNAVAILABLE, `the engine cannot be reached (${error?.message ?? error})`, new Map(), { cause: error });
    }

    const responseHeaders = headersMap(response.headers);
    const headerStatus = statusOf(responseHeaders);
    if (headerStatus !== null) {
      // Trailers-only: the status is all there is.
      await response.body?.cancel().catch(() => {});
      if (headerStatus.code !== StatusCode.OK) throw new GrpcError(headerStatus.code, headerStatus.message, responseHeaders);
      return;
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new GrpcError(statusForHttp(response.status), `HTTP ${response.status} ${response.statusText}`.trim(), responseHeaders);
    }
    const contentType = responseHeaders.get('content-type') ?? '';
    if (!contentType.startsWith('application/grpc-web')) {
      await response.body?.cancel().catch(() => {});
      throw new GrpcError(StatusCode.UNKNOWN, `unexpected content type '${contentType}'`, responseHeaders);
    }

    onOpen?.();
    const reader = response.body.getReader();
    const parser = new FrameParser();
    let status = null;
    try {
      for (;;) {
        let chunk;
        try {
          chunk = await reader.read();
        } catch (error) {
          throw signal?.aborted
            ? new GrpcError(StatusCode.CANCELLED, 'cancelled by the client', new Map(), { cause: error })
            : new GrpcError(StatusCode.UNAVAILABLE, `the connection broke (${error?.message ?? error})`, new Map(), { cause: error });
        }
        if (chunk.done) break;
        for (const frame of parser.push(chunk.value)) {
          if (status !== null) throw new GrpcError(StatusCode.INTERNAL, 'data after the trailers');
          if (frame.flag & FLAG_TRAILERS) {
            status = statusOf(parseTrailers(frame.payload)) ?? { code: StatusCode.UNKNOWN, message: 'trailers without grpc-status', trailers: new Map() };
          } else if (frame.flag & FLAG_COMPRESSED) {
            throw new GrpcError(StatusCode.INTERNAL, 'a compressed message arrived, but none was asked for');
          } else {
            yield frame.payload;
          }
        }
      }
    } finally {
      // Reached on early exit too (the consumer broke out or threw): release the connection.
      reader.cancel().catch(() => {});
    }

    if (status === null) {
      throw new GrpcError(StatusCode.UNAVAILABLE, parser.pending > 0 ? 'the response ended inside a frame' : 'the response ended without a status');
    }
    if (status.code !== StatusCode.OK) throw new GrpcError(status.code, status.message, status.trailers);
  }
}

/** Statuses after which a stream is opened again (with resume_after), per events.proto. */
export const RETRYABLE = new Set([StatusCode.UNAVAILABLE, StatusCode.RESOURCE_EXHAUSTED, StatusCode.DEADLINE_EXCEEDED,
  StatusCode.ABORTED, StatusCode.INTERNAL, StatusCode.UNKNOWN]);
