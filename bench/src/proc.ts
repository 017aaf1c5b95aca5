/** What a child process costs the machine: resident memory from /proc, bytes on disk. */
import { existsSync, readFileSync, statSync } from 'node:fs';

/** Parses the VmRSS line of a /proc/<pid>/status text into bytes. */
export function parseVmRss(status: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** Resident set size of a live process in bytes; null off Linux or after it exited. */
export function rssBytes(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    return parseVmRss(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/** Size of a file plus its SQLite -wal and -shm companions when present, in bytes. */
export function fileBytes(path: string, companions: readonly string[] = ['-wal']): number {
  let total = 0;
  for (const suffix of ['', ...companions]) {
    const file = path + suffix;
    if (existsSync(file)) total += statSync(file).size;
  }
  return total;
}
