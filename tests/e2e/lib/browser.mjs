// browser.mjs - what every browser test shares: Debian's chromium launched the
// way this machine needs (headless, no sandbox as root, no background network),
// and screenshots saved under OUT_DIR/screenshots.
import fs from 'node:fs';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { OUT_DIR } from './harness.mjs';

export const SHOTS = path.join(OUT_DIR, 'screenshots');

export const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/** Launches the browser and makes sure the screenshot folder exists. */
export async function launchBrowser() {
  fs.mkdirSync(SHOTS, { recursive: true });
  return chromium.launch(LAUNCH);
}

/** A full-page screenshot named prefix + name. */
export function shotter(prefix = '') {
  return (page, name) => page.screenshot({ path: path.join(SHOTS, `${prefix}${name}.png`), fullPage: true });
}
