import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import type { AnswerFile } from './extract-files.js';
import { insideDir } from './safe-path.js';

/** Writes checked answer files under `dir`, refusing any whose way there passes through a symbolic link. */
export function writeAnswerFiles(dir: string, files: readonly AnswerFile[]): { paths: string[]; refused: Array<{ path: string; reason: string }> } {
  const paths: string[] = [];
  const refused: Array<{ path: string; reason: string }> = [];
  for (const file of files) {
    const target = insideDir(dir, file.path);
    if (throughSymlink(dir, target)) {
      refused.push({ path: file.path, reason: 'a symbolic link on the way could lead outside the task folder' });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    paths.push(file.path);
  }
  return { paths, refused };
}

function throughSymlink(dir: string, target: string): boolean {
  let at = dir;
  for (const part of relative(dir, target).split(sep)) {
    at = `${at}${sep}${part}`;
    try {
      if (lstatSync(at).isSymbolicLink()) return true;
    } catch {
      return false;
    }
  }
  return false;
}
