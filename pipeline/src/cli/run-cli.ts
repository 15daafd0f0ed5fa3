import { PipelineConfigError } from '../config/pipeline-config.js';
import { EXIT, UsageError, type CliIo } from './cli-io.js';
import { decideCommand, showCommand, statusCommand } from './queue-commands.js';
import { statsCommand } from './stats-command.js';
import { roleCommand, runCommand, tasksCommand } from './task-commands.js';

export const PIPELINE_HELP = `switchyard pipeline: planner → coder → reviewer through the gateway

Usage:
  switchyard pipeline run "task" [--out DIR] [--risk low|medium|high] [--area AREA]
                                 [--context FILE|-]... [--constraint TEXT]... [--id ID] [--fresh]
  switchyard pipeline plan "task" [--context FILE|-] [--out DIR]
  switchyard pipeline code "task" --context FILE|- [--out DIR]        implement a plan
  switchyard pipeline review "task" --context FILE|- [--exclude-models M] [--out DIR]
  switchyard pipeline tasks [FILE] [--out DIR] [--only ID,...]         a batch from tasks.yaml
  switchyard pipeline status [--all]                                   the human review queue
  switchyard pipeline show ID | approve ID [--note T] | reject ID [--note T]
  switchyard pipeline stats [--json]                                   success, cost, time per role, model, risk, area

Every command: --config FILE (default ./pipeline.yaml if present), --url URL (default SWITCHYARD_URL or
http://127.0.0.1:4000), --max-cost USD (per task), --rounds N (revise rounds, default 2), --no-stream, --quiet.
The gateway key comes from SWITCHYARD_API_KEY. Roles default to the gateway's \`pipeline\` router; override
with SWITCHYARD_<ROLE>_MODEL / _TIER / _TEMPERATURE (ROLE: PLANNER, PLAN_REVIEWER, CODER, REVIEWER).

Exit codes: 0 approved, 1 error, 2 stopped (cost cap or gateway budget; rerun to resume),
3 needs a human (queued for review, or review requested changes).
`;

/** `switchyard pipeline …`: runs one command and returns its exit code; errors are printed, never thrown. */
export async function runPipelineCli(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const full: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, ...io };
  const [command, ...rest] = argv;
  try {
    if (rest.includes('--help') || rest.includes('-h') || !command || command === '--help' || command === '-h' || command === 'help') {
      full.stdout.write(PIPELINE_HELP);
      return command ? EXIT.ok : EXIT.error;
    }
    switch (command) {
      case 'run':
        return await runCommand(rest, full);
      case 'plan':
        return await roleCommand('planner', rest, full);
      case 'code':
        return await roleCommand('coder', rest, full);
      case 'review':
        return await roleCommand('reviewer', rest, full);
      case 'tasks':
        return await tasksCommand(rest, full);
      case 'status':
        return statusCommand(rest, full);
      case 'show':
        return showCommand(rest, full);
      case 'approve':
        return decideCommand('approved', rest, full);
      case 'reject':
        return decideCommand('rejected', rest, full);
      case 'stats':
        return statsCommand(rest, full);
      default:
        throw new UsageError(`unknown pipeline command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      full.stderr.write(`switchyard pipeline: ${err.message}\n\n${PIPELINE_HELP}`);
      return EXIT.error;
    }
    const message = err instanceof PipelineConfigError || err instanceof Error ? err.message : String(err);
    full.stderr.write(`switchyard pipeline: ${message}\n`);
    return EXIT.error;
  }
}
