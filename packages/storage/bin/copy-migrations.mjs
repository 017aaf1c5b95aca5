#!/usr/bin/env node
// Build step (bin choir-copy-migrations): ship a server's plain-SQL migrations inside its package
// (dist/migrations), so a package installed outside this checkout still finds them next to its code.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const server = process.argv[2];
if (!server) {
  process.stderr.write('usage: choir-copy-migrations <server>\n');
  process.exit(2);
}
// This file lives in packages/storage/bin; the checkout's root is three levels up.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const from = join(root, 'migrations', server);
const to = resolve(process.cwd(), 'dist', 'migrations');
if (!existsSync(from)) {
  process.stderr.write(`no migrations folder at ${from}\n`);
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
cpSync(from, to, { recursive: true });
