import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { toolRuns } from './required-tool.js';

/** Debian's Chromium (`apt-get install chromium`); `CHROMIUM_PATH` points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the headless-browser tests run; in CI they must (a missing Chromium fails them instead of skipping). */
export const chromiumAvailable = () =>
  toolRuns(existsSync(CHROMIUM_PATH), `Chromium is not at ${CHROMIUM_PATH}: the web console browser tests are SKIPPED (apt-get install chromium, or set CHROMIUM_PATH)`);

export interface HeadlessChromium {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium; Playwright gives it a fresh temporary profile (--user-data-dir) each time. The flags keep it from reaching for the network on its own
 * (component updates, sync, QUIC probes), which hangs it on a machine without internet access.
 */
export async function launchChromium(): Promise<HeadlessChromium> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}
