#!/usr/bin/env node

const HELP = `switchyard: a self-hosted LLM gateway for coding agents

Usage:
  switchyard serve [--config FILE] [--port 4000] [--host 127.0.0.1]   start the gateway
  switchyard config check FILE                                        validate a config file
  switchyard route explain [--config F] [--router NAME] "prompt"      show how a router decides
  switchyard eval-router [--config F] [--router NAME] --data F.jsonl  score a router on labeled prompts (--cv 5: and a trained scorer)
  switchyard train-router --data F.jsonl --out model.json             train a router score on labeled prompts
  switchyard keys create|list|revoke|rotate [--url U] [--master-key K] manage virtual keys of a running gateway
  switchyard spend [--by key|team|user|model|day] [--from D --to D]   spend and savings of a running gateway
  switchyard pipeline run "task" [--out DIR]                          planner → coder → reviewer through a running gateway
  switchyard <command> --help                                         help for a command

Without --config the gateway reads ./switchyard.yaml, else a built-in config: OpenRouter models when
OPENROUTER_API_KEY is set, otherwise the demo provider (fake models, no key needed).
`;

// Each command is loaded when it runs, so that `serve` does not carry the others' modules in memory.
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'serve') return (await import('./serve.js')).runServe(rest);
  if (command === 'config') {
    const [sub, ...args] = rest;
    if (sub === 'check') return (await import('./config-check.js')).runConfigCheck(args);
    process.stdout.write(`Usage: switchyard config check FILE\n`);
    return sub === '--help' || sub === '-h' ? 0 : 1;
  }
  if (command === 'route') {
    const [sub, ...args] = rest;
    if (sub === 'explain') return (await import('./route-explain.js')).runRouteExplain(args);
    process.stdout.write(`Usage: switchyard route explain [--config FILE] [--router NAME] "prompt" | --request FILE.json\n`);
    return sub === '--help' || sub === '-h' ? 0 : 1;
  }
  if (command === 'eval-router') return (await import('./eval-router.js')).runEvalRouter(rest);
  if (command === 'keys') return (await import('./keys.js')).runKeys(rest);
  if (command === 'spend') return (await import('./spend.js')).runSpend(rest);
  if (command === 'pipeline') return (await import('./pipeline.js')).runPipeline(rest);
  if (command === 'train-router') return (await import('./train-router.js')).runTrainRouter(rest);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 1;
  }
  process.stderr.write(`Unknown command '${command}'.\n\n${HELP}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`switchyard: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
