import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { waitForListening } from '../support/gateway-process.js';

/** The repository root (tests run from gateway/). */
export const ROOT = resolve(__dirname, '../../..');

export const repoPath = (...parts: string[]) => join(ROOT, ...parts);
export const readRepoFile = (...parts: string[]) => readFileSync(repoPath(...parts), 'utf8');
export const repoHas = (...parts: string[]) => existsSync(repoPath(...parts));

/** Every YAML document of a repository file, as plain data. */
export function readYamlDocs(...parts: string[]): any[] {
  const docs = parseAllDocuments(readRepoFile(...parts), { merge: true });
  for (const d of docs) if (d.errors.length > 0) throw new Error(`${parts.join('/')}: ${d.errors[0]!.message}`);
  return docs.map((d) => d.toJS()).filter((d) => d !== null && d !== undefined);
}

/** An image reference pinned to a version: a tag with a digit that is not a moving alias, or a digest. */
export function isPinnedImage(ref: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(ref)) return true;
  const tag = /:([^/:]+)$/.exec(ref)?.[1];
  return tag !== undefined && /\d/.test(tag) && !/^(latest|main|stable|edge|nightly)$/i.test(tag) && !/^main-latest$/i.test(tag);
}

export interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Runs a command that starts a gateway and resolves once it logs the address it listens on. */
export async function startListening(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Started> {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const { url, exited, output } = await waitForListening(child);
  return {
    child,
    url,
    output,
    exited,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
