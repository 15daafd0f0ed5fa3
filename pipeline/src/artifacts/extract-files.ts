import { checkAnswerPath } from './safe-path.js';
import { fencedBlocks, type FencedBlock } from './fenced-blocks.js';

export interface AnswerFile {
  path: string;
  content: string;
}

export interface Extracted {
  files: AnswerFile[];
  /** Blocks that named a path the pipeline will not write, and why. */
  refused: Array<{ path: string; reason: string }>;
}

const KEYED = /(?:^|\s)(?:path|file|filename|title)=(?:"([^"]+)"|'([^']+)'|(\S+))/i;
const LOOKS_LIKE_PATH = /^[^\s`*]*[/\\.][^\s`*]*$/;
const HEADING_PATH = /^(?:#{1,6}\s+|File:\s*|\*\*)?`?([^\s`*:]+)`?(?:\*\*)?:?$/i;

/** The files an answer gives: fenced blocks whose info string (or the line just above) names a path. */
export function extractFiles(answer: string): Extracted {
  const byPath = new Map<string, string>();
  const refused: Extracted['refused'] = [];
  for (const block of fencedBlocks(answer)) {
    const named = pathOf(block);
    if (named === undefined) continue;
    const check = checkAnswerPath(named);
    if (!check.ok) refused.push({ path: named, reason: check.reason });
    // A later block for the same path replaces the earlier one, as a corrected version would.
    else byPath.set(check.path, block.body.endsWith('\n') ? block.body : `${block.body}\n`);
  }
  return { files: [...byPath].map(([path, content]) => ({ path, content })), refused };
}

function pathOf(block: FencedBlock): string | undefined {
  const keyed = KEYED.exec(block.info);
  if (keyed) return keyed[1] ?? keyed[2] ?? keyed[3];
  const tokens = block.info.split(/\s+/).filter(Boolean);
  // ```src/app.ts or ```ts src/app.ts; a lone language name (```ts) is a snippet, not a file.
  const candidate = tokens.length === 1 ? tokens[0] : tokens.length === 2 ? tokens[1] : undefined;
  if (candidate && candidate.toLowerCase() !== 'verdict' && LOOKS_LIKE_PATH.test(candidate) && /[/\\]|\.[A-Za-z0-9]+$/.test(candidate)) return candidate;
  const heading = HEADING_PATH.exec(block.before);
  if (heading && /[/\\]|\.[A-Za-z0-9]+$/.test(heading[1]!) && /^(#|File:|\*\*|`)/i.test(block.before)) return heading[1];
  return undefined;
}
