import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The settled state of the memory store at one point of its journal (reservations are never persisted). */
export interface SpendState {
  /** [counter key, settled micro-dollars, expiry]. */
  counters: Array<[key: string, spent: number, expireAtMs: number]>;
  /** [day, report fields, expiry]. */
  reports: Array<[day: string, fields: Record<string, number>, expireAtMs: number]>;
}

/** A snapshot covers every journal generation up to and including `covers`: those are never replayed on top of it. */
export interface SpendSnapshot extends SpendState {
  v: 1;
  covers: number;
}

/** Reads a snapshot file; none yet is undefined. An unreadable one stops start-up: its spend would be lost silently. */
export function readSnapshot(path: string): SpendSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`spend snapshot ${path} is unreadable (${(err as Error).message}); restore it from a backup, or move it away to start with no recorded spend`);
  }
  const s = parsed as Partial<SpendSnapshot>;
  if (s.v !== 1 || typeof s.covers !== 'number' || !Array.isArray(s.counters) || !Array.isArray(s.reports)) {
    throw new Error(`spend snapshot ${path} is not a version 1 snapshot; move it away to start with no recorded spend`);
  }
  return s as SpendSnapshot;
}

/**
 * Replaces the snapshot atomically and durably: the whole file is written and fsynced under a temporary name,
 * renamed over the old one, and the directory fsynced, so after a crash at any point the file is the old
 * snapshot or the new one, never a mix, and the rename has reached the disk before any journal is deleted.
 */
export function writeSnapshot(path: string, snapshot: SpendSnapshot): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(snapshot));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDir(dirname(path));
}

/** Removes a temporary snapshot a crash left half written (it was never renamed, so it was never in use). */
export function removeTornSnapshot(path: string): void {
  rmSync(`${path}.tmp`, { force: true });
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
