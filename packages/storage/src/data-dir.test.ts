import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDatabaseLocation, resolveDataDir } from './data-dir.js';

describe('database location', () => {
  it('uses CHOIR_DATA_DIR for the file path', () => {
    const loc = resolveDatabaseLocation('reasoning', { CHOIR_DATA_DIR: '/tmp/x' });
    expect(loc.filePath).toBe(join('/tmp/x', 'reasoning.db'));
    expect(loc.url).toBe('file:/tmp/x/reasoning.db');
  });

  it('falls back to the XDG data dir', () => {
    expect(resolveDataDir({ XDG_DATA_HOME: '/tmp/xdg' })).toMatch(/choir$/);
  });

  it('selects a remote libSQL with DATABASE_URL and its token', () => {
    const loc = resolveDatabaseLocation('persona', {
      DATABASE_URL: 'libsql://db.example.turso.io',
      DATABASE_AUTH_TOKEN: 'secret',
      CHOIR_DATA_DIR: '/tmp/x',
    });
    expect(loc).toMatchObject({
      url: 'libsql://db.example.turso.io',
      authToken: 'secret',
      source: 'DATABASE_URL',
    });
    expect(loc.filePath).toBeUndefined();
  });

  it('lets a per-server URL win over DATABASE_URL, and DATABASE_PATH name a file', () => {
    expect(
      resolveDatabaseLocation('chat-history', {
        DATABASE_URL: 'libsql://shared',
        CHOIR_DATABASE_URL_CHAT_HISTORY: 'http://127.0.0.1:8080',
      }).url,
    ).toBe('http://127.0.0.1:8080');
    expect(resolveDatabaseLocation('reasoning', { DATABASE_PATH: '/data/r.db' }).filePath).toBe('/data/r.db');
  });
});
