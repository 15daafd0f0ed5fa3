import type { Role } from '../config/roles.js';
import type { StepRecord } from '../state/task-state.js';

/** What a run tells whoever watches it: the terminal (cli/terminal-reporter.ts) or a library caller. */
export interface Reporter {
  stepStarted?(role: Role, round: number, model: string): void;
  routed?(route: { model: string; tier?: string; rule?: string }): void;
  text?(delta: string): void;
  stepFinished?(step: StepRecord): void;
  note?(message: string): void;
}
