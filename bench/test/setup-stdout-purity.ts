/**
 * Runs around every test file: after the file, every line every server wrote to stdout during
 * it (through LineTransport) must have been a JSON-RPC 2.0 message. Together the files cover
 * the whole suite.
 */
import { afterAll, expect } from 'vitest';
import { stdoutRecords } from '../src/line-transport.js';

afterAll(() => {
  const impure = stdoutRecords().flatMap((record) => record.impure);
  expect(impure, 'servers wrote non-JSON-RPC lines to stdout').toEqual([]);
});
