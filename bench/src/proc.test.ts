import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileBytes, parseVmRss, rssBytes } from './proc.js';

describe('parseVmRss', () => {
  it('reads the kB figure as bytes', () => {
    const status = 'Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t   51234 kB\nRssAnon:\t 1 kB\n';
    expect(parseVmRss(status)).toBe(51234 * 1024);
  });

  it('is null without a VmRSS line (a zombie has none)', () => {
    expect(parseVmRss('Name:\tnode\nState:\tZ (zombie)\n')).toBeNull();
  });
});

describe('rssBytes', () => {
  it('measures this process on Linux and is null for no pid', () => {
    if (process.platform === 'linux') expect(rssBytes(process.pid)).toBeGreaterThan(1024 * 1024);
    expect(rssBytes(undefined)).toBeNull();
  });
});

describe('fileBytes', () => {
  it('adds the -wal file and ignores missing companions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-proc-'));
    const db = join(dir, 'x.db');
    writeFileSync(db, Buffer.alloc(4096));
    expect(fileBytes(db)).toBe(4096);
    writeFileSync(`${db}-wal`, Buffer.alloc(100));
    expect(fileBytes(db)).toBe(4196);
    expect(fileBytes(join(dir, 'none.db'))).toBe(0);
  });
});
