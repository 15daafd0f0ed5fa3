/** A fenced code block of a Markdown answer. */
export interface FencedBlock {
  /** The info string after the opening fence (`ts path=src/a.ts`). */
  info: string;
  body: string;
  /** The last non-blank line before the fence (a heading or `File: …` line may name the file). */
  before: string;
}

const OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * The fenced blocks of a Markdown text, CommonMark style: a fence of three or more backticks or tildes closes
 * with the same character, at least as long. An unclosed block runs to the end (an answer cut by max_tokens).
 */
export function fencedBlocks(text: string): FencedBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  let before = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = OPEN.exec(line);
    if (!open || (open[1]![0] === '`' && open[2]!.includes('`'))) {
      if (line.trim() !== '') before = line.trim();
      continue;
    }
    const fence = open[1]!;
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j]!); j++) body.push(lines[j]!);
    blocks.push({ info: open[2]!.trim(), body: body.join('\n'), before });
    before = '';
    i = j;
  }
  return blocks;
}
