// A small protobuf (proto3) codec for exactly the messages the dashboard exchanges with the engine.
// Wire format: https://protobuf.dev/programming-guides/encoding/ — varints (base 128, little-endian groups,
// at most 10 bytes), 64-bit and 32-bit little-endian fixed fields, and length-delimited fields (strings,
// bytes, embedded messages). Messages are described by schemas (see messages.js):
//   { fieldNumber: { name, type, repeated?, optional?, oneof? } }
// where type is 'string' | 'bool' | 'int32' | 'int64' (BigInt) | 'int64n' (Number) | 'double' |
// 'timestamp' (google.protobuf.Timestamp as a Date) | a nested schema object.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

export class ProtobufError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ProtobufError';
  }
}

/** Reads protobuf wire format from a Uint8Array; every read checks bounds and throws ProtobufError on truncation. */
export class Reader {
  constructor(bytes, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  get done() {
    return this.pos >= this.end;
  }

  /** A varint as { lo, hi }: two unsigned 32-bit halves of the 64-bit value. */
  varint64() {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError('truncated varint');
      const b = this.bytes[this.pos++];
      if (i < 4) {
        lo |= (b & 0x7f) << (7 * i);
      } else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else {
        hi |= (b & 0x7f) << (7 * i - 32);
      }
      if ((b & 0x80) === 0) return { lo: lo >>> 0, hi: hi >>> 0 };
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  /** A varint that must fit in 32 bits unsigned (tags, lengths); larger values are truncated as protobuf does. */
  uint32() {
    return this.varint64().lo;
  }

  int32() {
    return this.varint64().lo | 0;
  }

  bool() {
    const { lo, hi } = this.varint64();
    return lo !== 0 || hi !== 0;
  }

  /** A signed 64-bit varint (two's complement) as a BigInt. */
  int64() {
    const { lo, hi } = this.varint64();
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  /** A signed 64-bit varint as a Number: exact up to 2^53, for counts and durations. */
  int64Number() {
    return Number(this.int64());
  }

  double() {
    const view = this.#take(8);
    return new DataView(view.buffer, view.byteOffset, 8).getFloat64(0, true);
  }

  /** The bytes of a length-delimited field (a view, not a copy). */
  lengthDelimited() {
    const length = this.uint32();
    return this.#take(length);
  }

  string() {
    return utf8Decoder.decode(this.lengthDelimited());
  }

  tag() {
    const key = this.uint32();
    const field = key >>> 3;
    if (field === 0) throw new ProtobufError('field number 0');
    return { field, wire: key & 7 };
  }

  /** Skips a field of an unknown number (or of an unexpected wire type), groups included. */
  skip(wire, field) {
    switch (wire) {
      case WIRE_VARINT: this.varint64(); return;
      case WIRE_FIXED64: this.#take(8); return;
      case WIRE_LEN: this.lengthDelimited(); return;
      case WIRE_FIXED32: this.#take(4); return;
      case WIRE_START_GROUP:
        for (;;) {
          const inner = this.tag();
          if (inner.wire === WIRE_END_GROUP) {
            if (inner.field !== field) throw new ProtobufError('mismatched end group');
            return;
          }
          this.skip(inner.wire, inner.field);
        }
      default:
        throw new ProtobufError(`invalid wire type ${wire}`);
    }
  }

  #take(length) {
    if (length > this.end - this.pos) throw new ProtobufError('truncated field');
    const view = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }
}

/** Writes protobuf wire format into a growing buffer. */
export class Writer {
  constructor() {
    this.buffer = new Uint8Array(64);
    this.length = 0;
  }

  finish() {
    return this.buffer.slice(0, this.length);
  }

  tag(field, wire) {
    this.uint32(((field << 3) | wire) >>> 0);
  }

  uint32(value) {
    this.#ensure(5);
    let v = value >>> 0;
    while (v > 0x7f) {
      this.buffer[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buffer[this.length++] = v;
  }

  /** Any 64-bit integer (Number or BigInt); negatives are 10 bytes, two's complement, as protobuf requires. */
  varint64(value) {
    let v = BigInt.asUintN(64, BigInt(value));
    this.#ensure(10);
    while (v > 0x7fn) {
      this.buffer[this.length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buffer[this.length++] = Number(v);
  }

  double(value) {
    this.#ensure(8);
    new DataView(this.buffer.buffer).setFloat64(this.length, value, true);
    this.length += 8;
  }

  bytes(value) {
    this.uint32(value.length);
    this.#ensure(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  #ensure(extra) {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

const SCALAR_WIRE = {
  string: WIRE_LEN,
  bool: WIRE_VARINT,
  int32: WIRE_VARINT,
  int64: WIRE_VARINT,
  int64n: WIRE_VARINT,
  double: WIRE_FIXED64,
  timestamp: WIRE_LEN,
};

function wireOf(type) {
  return typeof type === 'object' ? WIRE_LEN : SCALAR_WIRE[type];
}

function defaultOf(spec) {
  if (spec.repeated) return [];
  if (spec.optional || spec.oneof) return undefined;
  switch (spec.type) {
    case 'string': return '';
    case 'bool': return false;
    case 'int32': case 'int64n': case 'double': return 0;
    case 'int64': return 0n;
    default: return null; // messages and timestamps: unset
  }
}

/** A new object with every field of the schema at its proto3 default (oneof cases: the oneof name is undefined). */
export function defaults(schema) {
  const message = {};
  for (const spec of Object.values(schema)) {
    message[spec.name] = defaultOf(spec);
    if (spec.oneof) message[spec.oneof] = undefined;
  }
  return message;
}

const TIMESTAMP = {
  1: { name: 'seconds', type: 'int64' },
  2: { name: 'nanos', type: 'int32' },
};

function readValue(reader, type, existing) {
  switch (type) {
    case 'string': return reader.string();
    case 'bool': return reader.bool();
    case 'int32': return reader.int32();
    case 'int64': return reader.int64();
    case 'int64n': return reader.int64Number();
    case 'double': return reader.double();
    case 'timestamp': {
      const t = decodeInto(TIMESTAMP, reader.lengthDelimited(), defaults(TIMESTAMP));
      return new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6));
    }
    default: {
      // An embedded message seen twice is merged (protobuf's rule), not replaced.
      const bytes = reader.lengthDelimited();
      return decodeInto(type, bytes, existing ?? defaults(type));
    }
  }
}

function decodeInto(schema, bytes, message) {
  const reader = new Reader(bytes);
  while (!reader.done) {
    const { field, wire } = reader.tag();
    const spec = schema[field];
    // Unknown fields, and known ones with another wire type, are skipped: newer engines add fields.
    if (spec === undefined || wire !== wireOf(spec.type)) {
      reader.skip(wire, field);
      continue;
    }
    if (spec.repeated) {
      message[spec.name].push(readValue(reader, spec.type, undefined));
    } else if (spec.oneof) {
      const same = message[spec.oneof] === spec.name;
      const value = readValue(reader, spec.type, same ? message[spec.name] : undefined);
      if (message[spec.oneof] !== undefined && !same) message[message[spec.oneof]] = undefined;
      message[spec.oneof] = spec.name;
      message[spec.name] = value;
    } else {
      message[spec.name] = readValue(reader, spec.type, message[spec.name] ?? undefined);
    }
  }
  return message;
}

/** Decodes bytes as the schema's message; throws ProtobufError for malformed input. */
export function decode(schema, bytes) {
  return decodeInto(schema, bytes, defaults(schema));
}

function isDefault(spec, value) {
  if (value === undefined || value === null) return true;
  if (spec.optional || spec.oneof) return false; // explicit presence: a set 0 is still sent
  switch (spec.type) {
    case 'string': return value === '';
    case 'bool': return value === false;
    case 'int32': case 'int64n': case 'double': case 'int64': return Number(value) === 0;
    default: return false;
  }
}

function writeValue(writer, field, type, value) {
  writer.tag(field, wireOf(type));
  switch (type) {
    case 'string': writer.bytes(utf8Encoder.encode(value)); return;
    case 'bool': writer.uint32(value ? 1 : 0); return;
    case 'int32': case 'int64': case 'int64n': writer.varint64(value); return;
    case 'double': writer.double(value); return;
    case 'timestamp': {
      const ms = value instanceof Date ? value.getTime() : Number(value);
      const seconds = Math.floor(ms / 1000);
      writer.bytes(encode(TIMESTAMP, { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1e6 }));
      return;
    }
    default: writer.bytes(encode(type, value));
  }
}

/** Encodes a message in field-number order (as protobuf implementations do), leaving proto3 defaults out. */
export function encode(schema, message) {
  const writer = new Writer();
  const fields = Object.keys(schema).map(Number).sort((a, b) => a - b);
  for (const field of fields) {
    const spec = schema[field];
    const value = message[spec.name];
    if (spec.repeated) {
      for (const item of value ?? []) writeValue(writer, field, spec.type, item);
    } else if (spec.oneof ? message[spec.oneof] === spec.name && value != null : !isDefault(spec, value)) {
      writeValue(writer, field, spec.type, value);
    }
  }
  return writer.finish();
}
