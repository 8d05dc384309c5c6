// Protobuf bytes made by Google.Protobuf (C#, the engine's own implementation) for the codec tests: the
// xunit test Dashboard/DashboardScriptTests writes them to a JSON file ({ name: hex }) and passes its path in
// CALLTRACKING_PROTOBUF_FIXTURES. Without it (node --test run by hand) the fixture tests are skipped.
import { readFileSync } from 'node:fs';

const path = process.env.CALLTRACKING_PROTOBUF_FIXTURES;

export const fixtures = path ? Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(path, 'utf8'))).map(([name, hex]) => [name, Uint8Array.from(Buffer.from(hex, 'hex'))]),
) : null;

export const skipWithoutFixtures = fixtures ? false : 'no CALLTRACKING_PROTOBUF_FIXTURES (run through dotnet test --filter Dashboard)';

export const hex = (bytes) => Buffer.from(bytes).toString('hex');
