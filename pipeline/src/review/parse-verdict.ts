import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { fencedBlocks } from '../artifacts/fenced-blocks.js';

export interface Finding {
  severity: 'blocker' | 'major' | 'minor';
  file?: string;
  message: string;
}

export interface Verdict {
  verdict: 'approve' | 'request_changes';
  findings: Finding[];
  /** The reviewer gave no readable verdict block (then the verdict is request_changes). */
  malformed?: string;
}

const findingSchema = z.looseObject({
  severity: z.enum(['blocker', 'major', 'minor']).catch('major'),
  file: z.string().optional().catch(undefined),
  message: z.string().min(1),
});

const verdictSchema = z.looseObject({
  verdict: z.enum(['approve', 'request_changes']),
  findings: z.array(z.unknown()).default([]),
});

/**
 * The verdict of a review: the last fenced block with info string `verdict` (JSON or YAML). No block, or one
 * that does not parse, counts as a request for changes, so a confused reviewer never approves by accident.
 */
export function parseVerdict(text: string): Verdict {
  const block = fencedBlocks(text).filter((b) => b.info.trim().split(/\s+/)[0]?.toLowerCase() === 'verdict').pop();
  if (!block) return unreadable('the reviewer gave no verdict block');
  let raw: unknown;
  try {
    raw = parseYaml(block.body);
  } catch (err) {
    return unreadable(`the verdict block is not JSON or YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = verdictSchema.safeParse(raw);
  if (!parsed.success) return unreadable('the verdict block has no "verdict": approve | request_changes');
  const findings: Finding[] = [];
  for (const item of parsed.data.findings) {
    const f = typeof item === 'string' ? { severity: 'major' as const, message: item } : findingSchema.safeParse(item).data;
    if (f) findings.push({ severity: f.severity, message: f.message, ...(f.file ? { file: f.file } : {}) });
  }
  return { verdict: parsed.data.verdict, findings };
}

function unreadable(why: string): Verdict {
  return { verdict: 'request_changes', findings: [{ severity: 'major', message: `${why}; answer with a verdict block as instructed` }], malformed: why };
}
