#!/usr/bin/env node
import { runPipelineCli } from './run-cli.js';

// The pipeline on its own (`node pipeline/dist/cli/bin.js …`); users reach it as `switchyard pipeline …`.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));
runPipelineCli(process.argv.slice(2), { signal: controller.signal }).then((code) => {
  process.exitCode = code;
});
