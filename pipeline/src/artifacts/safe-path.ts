import { isAbsolute as isAbsolutePosix, relative, resolve, sep } from 'node:path';
import { win32 } from 'node:path';

/** Names the pipeline writes itself in a task folder; an answer cannot overwrite them. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['plan.md', 'plan-review.md', 'review.md', 'run.json', 'state.json']);

export type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Whether a path an answer named may be written inside the task folder: relative, no `..` segment, no drive or
 * home prefix, no control characters, not one of the pipeline's own files. Returns the normalised path.
 */
export function checkAnswerPath(raw: string): PathCheck {
  const path = raw.trim();
  if (path === '') return { ok: false, reason: 'empty path' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(path)) return { ok: false, reason: 'control characters in the path' };
  if (isAbsolutePosix(path) || win32.isAbsolute(path) || /^[A-Za-z]:/.test(path)) return { ok: false, reason: 'absolute path' };
  if (path.startsWith('~')) return { ok: false, reason: 'home-relative path' };
  const segments = path.split(/[\\/]+/);
  if (segments.includes('..')) return { ok: false, reason: 'path contains ".."' };
  const clean = segments.filter((s) => s !== '' && s !== '.');
  if (clean.length === 0) return { ok: false, reason: 'path names no file' };
  const normal = clean.join('/');
  if (RESERVED_NAMES.has(normal)) return { ok: false, reason: `${normal} is written by the pipeline itself` };
  return { ok: true, path: normal };
}

/** The absolute target of a checked path, asserting it is inside `dir` (defence in depth). */
export function insideDir(dir: string, path: string): string {
  const target = resolve(dir, path);
  const rel = relative(dir, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolutePosix(rel)) throw new Error(`refusing to write outside the task folder: ${path}`);
  return target;
}
