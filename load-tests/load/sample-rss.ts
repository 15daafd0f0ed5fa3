/** Samples a process's resident memory once a second (Linux /proc, else `ps`), for flat-memory checks. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident set size of `pid` in bytes, or undefined when it cannot be read. */
export function rssOf(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux, or the process is gone: ask ps
  }
  try {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return Number.isFinite(kb) && kb > 0 ? kb * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface RssSummary {
  startMb: number;
  maxMb: number;
  endMb: number;
  /** Samples taken (one a second). */
  samples: number;
  /** The RSS at each whole minute of the run (MB), to see whether memory stays flat over a soak. */
  everyMinuteMb: number[];
}

/** Starts sampling; `stop()` returns start, peak and last RSS in MB. */
export function sampleRss(pid: number, everyMs = 1000): { stop(): RssSummary | undefined } {
  const samples: number[] = [];
  const take = () => {
    const rss = rssOf(pid);
    if (rss !== undefined) samples.push(rss / 2 ** 20);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      if (samples.length === 0) return undefined;
      const everyMinuteMb = samples.filter((_, i) => i > 0 && (i * everyMs) % 60_000 === 0).map((mb) => Math.round(mb));
      return { startMb: samples[0]!, maxMb: Math.max(...samples), endMb: samples.at(-1)!, samples: samples.length, everyMinuteMb };
    },
  };
}
