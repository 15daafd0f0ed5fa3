#!/usr/bin/env node
// The bin is this committed file, not dist/cli/main.js: npm links workspace bins before `prepare` builds dist/,
// and a bin whose target does not exist yet is never linked, so a fresh clone's first install had no CLI.
const MAIN = new URL('../dist/cli/main.js', import.meta.url);

import(MAIN.href).catch((err) => {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(MAIN.pathname)) {
    process.stderr.write('switchyard: the gateway is not built yet (gateway/dist is missing). Run `npm run build` in the repository root.\n');
    process.exit(1);
  }
  throw err;
});
