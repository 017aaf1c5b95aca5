import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The storage package's own migrations: shipped as dist/migrations, or read from the
 * checkout's migrations/storage when running from source (tests).
 */
export function storageMigrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const shipped = join(here, 'migrations');
  if (existsSync(shipped)) return shipped;
  return resolve(here, '..', '..', '..', 'migrations', 'storage');
}

/**
 * Finds a server's migrations: `dist/migrations` beside the built code when running from a
 * build or an installed package, else the checkout's `migrations/<server>` (running from source).
 */
export function findMigrationsDir(moduleUrl: string, server: string): string {
  const file = fileURLToPath(moduleUrl);
  let dir = dirname(file);
  for (let depth = 0; depth < 6; depth++) {
    if (basename(dir) === 'dist' && existsSync(join(dir, 'migrations'))) return join(dir, 'migrations');
    const checkout = join(dir, 'migrations', server);
    if (existsSync(checkout)) return checkout;
    dir = dirname(dir);
  }
  throw new Error(`cannot find the migrations of ${server} near ${file}`);
}
