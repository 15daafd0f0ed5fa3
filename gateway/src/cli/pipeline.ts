/** What the pipeline package's CLI entry exports (it is a separate workspace package, a client over HTTP). */
interface PipelineCli {
  runPipelineCli(argv: string[], io?: { signal?: AbortSignal }): Promise<number>;
}

/** `switchyard pipeline …`: loads the bundled pipeline client on demand, so `serve` never pays for it. */
export async function runPipeline(args: string[]): Promise<number> {
  // A computed specifier: the gateway builds and typechecks without the pipeline package having been built.
  const specifier = '@switchyard/pipeline/cli';
  let cli: PipelineCli;
  try {
    cli = (await import(specifier)) as PipelineCli;
  } catch (err) {
    process.stderr.write(`switchyard: the pipeline package is not available (${(err as Error).message.split('\n')[0]}); run \`npm install\` (or \`npm run build\`) at the repository root\n`);
    return 1;
  }
  const controller = new AbortController();
  const onInt = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onInt);
  try {
    return await cli.runPipelineCli(args, { signal: controller.signal });
  } finally {
    process.off('SIGINT', onInt);
  }
}
