#!/usr/bin/env node
// One gRPC call with @grpc/grpc-js, described entirely by arguments (the same ones as grpc_client.py).
// The .proto files under --proto-root are loaded with @grpc/proto-loader; the call is made generically.
// Output, one line each:
//   MSG <json>          a response message (proto field names, defaults included; bytes base64, 64-bit ints as strings)
//   MSG_SIZE <bytes>    instead of MSG with --sizes-only
//   STATUS <CODE> <details>   the end of the call (CODE as grpc.status names it, e.g. OK, DEADLINE_EXCEEDED)
// Exit status: 0 when the call ended with any status, 2 on a usage or set-up error (message on stderr).
'use strict';
const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

function fail(text) {
  process.stderr.write(text + '\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { metadata: [], request: '{}' };
  const flags = { '--sizes-only': 'sizesOnly' };
  const valued = {
    '--target': 'target', '--proto-root': 'protoRoot', '--method': 'method', '--request': 'request',
    '--request-file': 'requestFile', '--timeout': 'timeout', '--compression': 'compression', '--metadata': 'metadata',
    '--max-messages': 'maxMessages', '--cancel-after-ms': 'cancelAfterMs', '--ca-cert': 'caCert', '--server-name': 'serverName',
  };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (flags[name]) { args[flags[name]] = true; continue; }
    const key = valued[name];
    if (!key || i + 1 >= argv.length) fail(`usage: grpc_client.js --target HOST:PORT --proto-root DIR --method /pkg.Svc/M [--request JSON | --request-file PATH] [--timeout S] [--compression gzip] [--metadata k=v]... [--max-messages N] [--cancel-after-ms N] [--sizes-only] [--ca-cert PEM [--server-name NAME]] (bad argument ${name})`);
    const value = argv[++i];
    if (key === 'metadata') args.metadata.push(value); else args[key] = value;
  }
  for (const required of ['target', 'protoRoot', 'method']) {
    if (!args[required]) fail(`missing --${required.replace(/[A-Z]/g, c => '-' + c.toLowerCase())}`);
  }
  return args;
}

function protoFiles(root) {
  const files = [];
  const walk = dir => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.proto')) files.push(path.relative(root, full));
    }
  };
  walk(root);
  return files.sort();
}

function toJson(value) {
  return JSON.stringify(value, (key, v) => (v && v.type === 'Buffer' && Array.isArray(v.data)) ? Buffer.from(v.data).toString('base64') : v);
}

const args = parseArgs(process.argv.slice(2));
const root = path.resolve(args.protoRoot);
const files = protoFiles(root);
if (files.length === 0) fail(`no .proto files under ${root}`);
const definition = protoLoader.loadSync(files, { includeDirs: [root], keepCase: true, longs: String, enums: String, bytes: String, defaults: true, oneofs: true });
const [serviceName, methodName] = args.method.replace(/^\//, '').split('/');
const method = definition[serviceName] && definition[serviceName][methodName];
if (!method) fail(`unknown method ${args.method}`);

const channelOptions = { 'grpc.max_receive_message_length': 64 * 1024 * 1024, 'grpc.max_send_message_length': 64 * 1024 * 1024 };
if (args.compression === 'gzip') channelOptions['grpc.default_compression_algorithm'] = 2; // compressionAlgorithms.gzip
// --ca-cert: TLS trusting that certificate; --server-name: the name it must carry (also sent as SNI and :authority).
let credentials = grpc.credentials.createInsecure();
if (args.caCert) {
  credentials = grpc.credentials.createSsl(fs.readFileSync(args.caCert));
  if (args.serverName) {
    channelOptions['grpc.ssl_target_name_override'] = args.serverName;
    channelOptions['grpc.default_authority'] = args.serverName;
  }
}
const client = new grpc.Client(args.target, credentials, channelOptions);
const metadata = new grpc.Metadata();
for (const item of args.metadata) {
  const at = item.indexOf('=');
  metadata.add(item.slice(0, at).toLowerCase(), item.slice(at + 1));
}
const callOptions = {};
if (args.timeout !== undefined) callOptions.deadline = new Date(Date.now() + parseFloat(args.timeout) * 1000);

const request = JSON.parse(args.requestFile ? fs.readFileSync(args.requestFile, 'utf8') : args.request);
const statusNames = Object.fromEntries(Object.entries(grpc.status).map(([name, code]) => [code, name]));
let finished = false;
function show(message) {
  if (args.sizesOnly) console.log(`MSG_SIZE ${method.responseSerialize(message).length}`);
  else console.log('MSG ' + toJson(message));
}
function finish(code, details) {
  if (finished) return;
  finished = true;
  console.log(`STATUS ${statusNames[code]} ${details || ''}`.trimEnd());
  client.close();
}

let call;
if (method.responseStream) {
  let received = 0;
  call = client.makeServerStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, request, metadata, callOptions);
  call.on('data', message => {
    show(message);
    received++;
    if (args.maxMessages !== undefined && received >= parseInt(args.maxMessages, 10)) call.cancel();
  });
  call.on('error', () => { /* the status event reports it */ });
  call.on('status', status => finish(status.code, status.details));
} else {
  call = client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, metadata, callOptions, (error, response) => {
    if (error) { finish(error.code, error.details); return; }
    show(response);
    finish(grpc.status.OK, '');
  });
}
if (args.cancelAfterMs !== undefined) setTimeout(() => call.cancel(), parseInt(args.cancelAfterMs, 10)).unref();
