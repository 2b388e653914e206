#!/usr/bin/env node
// PORTAL_URL=http://localhost:7007 node scripts/adopt-test/browser-check.mjs
//
// The adoption test's browser check, against the freshly created app with our
// packages installed from their READMEs and the playground on: as Guest, the
// example component's page shows the External Secrets card with a Synced key
// and the playground label, and the admin page lists a Ready store. Drives
// Debian's Chromium through playwright-core (a root devDependency); prints one
// line per check and exits non-zero when one failed.
import { chromium } from 'playwright-core';

const PORTAL_URL = (process.env.PORTAL_URL ?? 'http://localhost:7007').replace(
  /\/+$/,
  '',
);
const ENTITY_PATH = '/catalog/default/component/example-website';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 60_000);
/** The playground store's sample values: never on a rendered page. */
const SAMPLE_VALUES = [
  'sample-password-not-a-secret',
  'sample-token-not-a-secret',
];

let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(
      `not ok - ${name}: ${String(error?.message ?? error).split('\n')[0]}`,
    );
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);

  await check('signs in as Guest', async () => {
    await page.goto(`${PORTAL_URL}/`, { waitUntil: 'domcontentloaded' });
    const enter = page.getByRole('button', { name: /^enter$/i });
    await enter.click();
    await enter.waitFor({ state: 'detached' });
  });

  await check(
    'the entity page shows the card with a synced key, labelled as the playground',
    async () => {
      await page.goto(`${PORTAL_URL}${ENTITY_PATH}`, {
        waitUntil: 'domcontentloaded',
      });
      const externalSecret = page.locator(
        'section[aria-label^="ExternalSecret "]',
      );
      await externalSecret.first().waitFor({ state: 'visible' });
      await externalSecret
        .first()
        .getByText('Synced')
        .first()
        .waitFor({ state: 'visible' });
      const text = await externalSecret.first().innerText();
      assert(
        text.includes('DB_PASSWORD'),
        `the card shows no DB_PASSWORD key: ${text}`,
      );
      await page
        .getByText('Playground — simulated cluster, sample values')
        .first()
        .waitFor({ state: 'visible' });
      const html = await page.content();
      for (const value of SAMPLE_VALUES) {
        assert(!html.includes(value), 'a sample secret value is on the page');
      }
    },
  );

  await check('the admin page lists a Ready store', async () => {
    await page.goto(`${PORTAL_URL}/external-secrets`, {
      waitUntil: 'domcontentloaded',
    });
    const row = page.locator('tr', { hasText: 'playground-sample-store' });
    await row.first().waitFor({ state: 'visible' });
    await row
      .first()
      .getByText('Ready', { exact: true })
      .waitFor({ state: 'visible' });
  });
} finally {
  await browser.close();
}
console.log(
  failed === 0
    ? 'adopt-test browser: all checks passed'
    : `adopt-test browser: ${failed} failed`,
);
process.exit(failed === 0 ? 0 : 1);
