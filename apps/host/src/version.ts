import { createRequire } from 'node:module';

/** The host's version, from its package.json (dist/version.js and src/version.ts both sit one level down). */
export const HOST_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;
