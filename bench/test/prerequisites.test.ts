import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHOIR_SERVERS, choirBuilt, repoDir } from '../src/servers.js';

// The other suites skip a server whose bin is missing so one can run them while a package is
// rebuilt; this test makes sure such a skip can never pass silently in a full run.
describe('prerequisites of the reliability suite', () => {
  it('has every server and the host built', () => {
    const missing = CHOIR_SERVERS.filter((server) => !choirBuilt(server));
    if (!existsSync(join(repoDir, 'apps', 'host', 'dist', 'bin.js'))) missing.push('host' as never);
    expect(missing, 'build them first: pnpm build').toEqual([]);
  });
});
