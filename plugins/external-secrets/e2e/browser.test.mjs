#!/usr/bin/env node
/**
 * Browser check of the External Secrets frontend against a running portal.
 *
 *   PORTAL_URL=http://localhost:3000 \
 *   E2E_ENTITY_PATH=/catalog/default/component/orders-service \
 *   node plugins/external-secrets/e2e/browser.test.mjs
 *
 * Signs in as Guest, checks the entity card (mappings and states), the
 * "Secrets" tab (key table, events, "Sync now" and its result), the admin
 * page, restart on change (E2E_ROLLOUT_ENTITY_PATH) and the
 * ExternalSecretMappingsPicker scaffolder field (template E2E_TEMPLATE_PATH),
 * create with a folder key and the published files, the template dry run,
 * and saves docs/screenshots/{card,tab,rollout,admin,picker,create}.png
 * at the repository root.
 * Prints one line per check, then `N passed, N failed` alone on the last line;
 * exits non-zero when a check failed.
 *
 * Plain Node ESM on purpose (no Jest, no Playwright test runner): it drives
 * Debian's Chromium through playwright-core from the repository root.
 */

// playwright-core is a root devDependency: this script runs against the whole
// portal, not as part of this package.
// eslint-disable-next-line @backstage/no-undeclared-imports
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// The README's dry-run script, tested as users run it (repo root, not shipped).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { dryRunTemplate } from '../../../scripts/template-dry-run.mjs';

const PORTAL_URL = (process.env.PORTAL_URL ?? 'http://localhost:3000').replace(
  /\/+$/,
  '',
);
const ENTITY_PATH =
  process.env.E2E_ENTITY_PATH ?? '/catalog/default/component/orders-service';
const TEMPLATE_PATH =
  process.env.E2E_TEMPLATE_PATH ??
  '/create/templates/default/service-with-infisical-secrets';
/** Part of the label of the store the picker test chooses (else the first Ready one). */
const PICKER_STORE =
  process.env.E2E_PICKER_STORE ?? 'infisical-archon-platform';
/** The demo entity whose Secret's readers show rollout (examples/kubernetes/demo-cluster.yaml). */
const ROLLOUT_ENTITY_PATH =
  process.env.E2E_ROLLOUT_ENTITY_PATH ??
  '/catalog/payments/component/checkout-service';
/** The folder-style Infisical key the create walk maps (the demo's checkout-db syncs it too). */
const CREATE_REMOTE_KEY =
  process.env.E2E_CREATE_REMOTE_KEY ?? '/payments/DB_PASSWORD';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 30_000);

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The texts the UI uses for states (ExternalSecret and key level). */
const STATE_TEXT = /^(Synced|Error|Pending|Not found|Unsupported|Removed)$/;

const SIDEBAR = 'nav[aria-label="sidebar nav"]';

const results = { passed: 0, failed: 0 };

/**
 * The demo's secret VALUES (packages/backend/src/demo/demoSimulators.ts and the
 * app-config `fake` store). None may reach a rendered page or an API answer.
 */
const DEMO_SECRET_VALUES = [
  'demo-api-key-0001',
  'demo-db-password',
  'demo-stripe-key',
  'demo-webhook-secret',
  'demo-smtp-password',
  'demo-gateway-token-aws',
  'demo-gateway-signing-key-aws',
  'demo-old-db-password',
];
/** Rendered pages (at every screenshot) and the plugin's API answers. */
const observed = { pages: [], answers: [] };

/**
 * One line of the report on stdout (TAP-like: `ok -`, `not ok -`, `# note`).
 * @param {string} line
 */
function say(line) {
  process.stdout.write(`${line}\n`);
}

/**
 * Runs one named check; a failure is reported and counted, and the script
 * goes on so one broken part does not hide the state of the others.
 * @param {string} name
 * @param {() => Promise<void>} fn
 * @returns {Promise<boolean>} whether the check passed
 */
async function check(name, fn) {
  try {
    await fn();
    results.passed += 1;
    say(`ok - ${name}`);
    return true;
  } catch (error) {
    results.failed += 1;
    const reason = error instanceof Error ? error.message : String(error);
    say(`not ok - ${name}: ${reason.split('\n')[0]}`);
    return false;
  }
}

/**
 * Runs `fn` as a check when `runnable`; otherwise counts it failed as skipped,
 * so the closing count always covers every check.
 * @param {boolean} runnable
 * @param {string} name
 * @param {() => Promise<void>} fn
 */
async function checkIf(runnable, name, fn) {
  if (runnable) {
    return check(name, fn);
  }
  results.failed += 1;
  say(`not ok - ${name}: skipped, an earlier step failed`);
  return false;
}

/**
 * @param {boolean} condition
 * @param {string} message
 */
function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/**
 * Saves a screenshot of `target` (an element, else the full page).
 * @param {import('playwright-core').Page} page
 * @param {string} file
 * @param {import('playwright-core').Locator} [target]
 */
async function screenshot(page, file, target) {
  observed.pages.push(await page.content());
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, file);
  if (target && (await target.count()) > 0) {
    await target.first().screenshot({ path });
  } else {
    await page.screenshot({ path, fullPage: true });
  }
  say(`# saved ${path}`);
}

/** @param {import('playwright-core').Page} page */
async function signInAsGuest(page) {
  await page.goto(`${PORTAL_URL}/`, { waitUntil: 'domcontentloaded' });
  const enter = page.getByRole('button', { name: /^enter$/i });
  await enter.waitFor({ state: 'visible' });
  await enter.click();
  await enter.waitFor({ state: 'detached' });
  // The sidebar's <nav> has no box of its own (its drawer is fixed): wait for it
  // in the DOM, not for it to be "visible".
  await page.locator(SIDEBAR).waitFor({ state: 'attached' });
}

/** @param {import('playwright-core').Page} page */
async function checkEntityCard(page) {
  await page.goto(`${PORTAL_URL}${ENTITY_PATH}`, {
    waitUntil: 'domcontentloaded',
  });
  const externalSecret = page.locator('section[aria-label^="ExternalSecret "]');
  await externalSecret.first().waitFor({ state: 'visible' });

  const mappings = page.getByRole('list', { name: /^Key mappings of / });
  const mappingItems = mappings.first().getByRole('listitem');
  assert((await mappingItems.count()) > 0, 'the card lists no key mapping');
  const firstMapping = (await mappingItems.first().innerText()).trim();
  assert(
    firstMapping.includes('←'),
    `a key mapping does not read "secretKey ← store:key": ${firstMapping}`,
  );

  const states = externalSecret.first().getByText(STATE_TEXT);
  assert(
    (await states.count()) > 0,
    'the card shows no state as text (Synced / Error / Pending / ...)',
  );
  const lastSync = externalSecret.first().locator('time[title]');
  if ((await lastSync.count()) > 0) {
    const title = await lastSync.first().getAttribute('title');
    assert(
      !Number.isNaN(Date.parse(title ?? '')),
      `the last-sync time has no exact time on hover: ${title}`,
    );
  }
  const card = page.locator('.MuiCard-root', {
    has: page.locator('section[aria-label^="ExternalSecret "]'),
  });
  const box = await card.first().boundingBox();
  const viewport = page.viewportSize();
  assert(
    box !== null && viewport !== null && box.y < viewport.height,
    `the card starts below the Overview's first screen (top at ${box?.y} px of ${viewport?.height})`,
  );
  await screenshot(page, 'card.png', card);
}

/**
 * Issue #24's demo: checkout-service's checkout-payment-gateway Secret draws
 * from both stores (AWS Secrets Manager by its secretStoreRef, one key from
 * Infisical by data[].sourceRef.storeRef), synced, each key with its source.
 * @param {import('playwright-core').Page} page
 */
async function checkTwoStoreSecret(page) {
  await page.goto(`${PORTAL_URL}${ROLLOUT_ENTITY_PATH}`, {
    waitUntil: 'domcontentloaded',
  });
  const region = page.getByRole('region', {
    name: 'ExternalSecret payments/checkout-payment-gateway',
  });
  await region.waitFor({ state: 'visible' });
  const mappings = region.getByRole('list', {
    name: 'Key mappings of payments/checkout-payment-gateway',
  });
  for (const mapping of [
    'gateway-token ← aws-secrets-manager:checkout/payment-gateway.token',
    'gateway-signing-key ← aws-secrets-manager:checkout/payment-gateway.signingKey',
    'db-user ← infisical-archon-platform:/payments/DB_USER',
  ]) {
    assert(
      (await mappings.getByText(mapping, { exact: true }).count()) > 0,
      `the card does not show the mapping "${mapping}"`,
    );
  }
  const state = await region.getByText(STATE_TEXT).first().innerText();
  assert(
    state === 'Synced',
    `checkout-payment-gateway is ${state}, not Synced from both stores`,
  );
}

/** @param {import('playwright-core').Page} page */
async function openSecretsTab(page) {
  const tab = page
    .getByRole('tab', { name: 'Secrets', exact: true })
    .or(page.getByRole('link', { name: 'Secrets', exact: true }));
  await tab.first().click();
  await page.waitForURL(/\/external-secrets\/?$/);
  const table = page.getByRole('table');
  await table.first().waitFor({ state: 'visible' });
  assert(
    (await page.getByText('Key mappings', { exact: true }).count()) > 0,
    'the tab has no "Key mappings" table',
  );
  await page
    .getByText('Recent sync events', { exact: true })
    .first()
    .waitFor({ state: 'visible' });
}

/** @param {import('playwright-core').Page} page */
async function syncNow(page) {
  const button = page.getByRole('button', { name: /^Sync now/ });
  await button.waitFor({ state: 'visible' });
  const times = page.getByRole('list', { name: 'Sync times' });
  await times.waitFor({ state: 'visible' });
  const attemptTimes = () =>
    times.evaluate(list =>
      [...list.querySelectorAll('time')]
        .map(time => time.getAttribute('datetime'))
        .join(),
    );
  const before = await attemptTimes();
  // A marker a reload would wipe: the new state must arrive without one.
  await page.evaluate(() => {
    window.__externalSecretsNoReload = true;
  });
  await button.click();
  const result = page.getByRole('alert').filter({
    hasText:
      /Sync requested for|Rate limited|Sync failed|Nothing to sync|permission/i,
  });
  await result.first().waitFor({ state: 'visible' });
  const text = (await result.first().innerText()).trim();
  say(`# sync result: ${text.replace(/\s+/g, ' ')}`);
  assert(
    /Sync requested for|Rate limited: try again later|Nothing to sync/i.test(
      text,
    ),
    `"Sync now" did not succeed: ${text}`,
  );
  if (/Sync requested for/i.test(text)) {
    // The requested attempt lands within a cycle; the page shows it by itself.
    await page.waitForFunction(
      previous =>
        [...document.querySelectorAll('ul[aria-label="Sync times"] time')]
          .map(time => time.getAttribute('datetime'))
          .join() !== previous,
      before,
      { timeout: 60_000 },
    );
    assert(
      await page.evaluate(() => window.__externalSecretsNoReload === true),
      'the page reloaded to show the synced state',
    );
    say(`# sync times after sync: ${await attemptTimes()}`);
  }
  await screenshot(page, 'tab.png');
}

/** @param {import('playwright-core').Page} page */
async function checkAdminPage(page) {
  await page.goto(`${PORTAL_URL}/external-secrets`, {
    waitUntil: 'domcontentloaded',
  });
  const counts = page.getByRole('list', { name: 'ExternalSecrets by state' });
  await counts.waitFor({ state: 'visible' });
  const countItems = await counts.getByRole('listitem').count();
  assert(countItems === 5, `expected 5 state counts, found ${countItems}`);
  await page
    .getByText('Secret stores', { exact: true })
    .first()
    .waitFor({ state: 'visible' });
  await page.getByRole('table').first().waitFor({ state: 'visible' });
  // Both providers of the demo (issue #24), each validated Ready.
  for (const [store, provider] of [
    ['aws-secrets-manager', 'aws'],
    ['infisical-archon-platform', 'infisical'],
  ]) {
    const row = page.locator('tr', {
      hasText: `ClusterSecretStore ${store}`,
    });
    assert(
      (await row.count()) > 0,
      `the admin page's store table does not list ${store}`,
    );
    const text = (await row.first().innerText()).replace(/\s+/g, ' ');
    assert(
      text.includes(provider) &&
        text.includes('Ready') &&
        !/Not ready/i.test(text),
      `the ${store} row is not a Ready ${provider} store: ${text}`,
    );
  }
  assert(
    (await page
      .locator(SIDEBAR)
      .getByText('External Secrets', { exact: true })
      .count()) > 0,
    'the sidebar has no "External Secrets" item',
  );
  await screenshot(page, 'admin.png');
}

/**
 * The scaffolder field: a Ready store, a remote key from the store's key
 * names, a bad secret key rejected while typing and by the Review step, then a
 * good one that reaches the Review step.
 * @param {import('playwright-core').Page} page
 */
async function checkMappingsPicker(page) {
  await page.goto(`${PORTAL_URL}${TEMPLATE_PATH}`, {
    waitUntil: 'domcontentloaded',
  });
  // Step 1 ("Service"): a name; owner and namespace have defaults.
  const name = page.getByLabel(/^Name/).first();
  await name.waitFor({ state: 'visible' });
  await name.fill('picker-e2e');
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  const store = page.getByRole('combobox', { name: /^Store/ });
  await store.waitFor({ state: 'visible' });
  await page
    .getByRole('heading', { name: /Secrets/ })
    .first()
    .waitFor({ state: 'visible' });
  const readyOptions = store.locator('option:not([disabled])');
  await readyOptions.first().waitFor({ state: 'attached' });
  const preferred = readyOptions.filter({ hasText: PICKER_STORE });
  const option =
    (await preferred.count()) > 0 ? preferred.first() : readyOptions.first();
  const storeLabel = (await option.innerText()).trim();
  await store.selectOption({
    value: (await option.getAttribute('value')) ?? '',
  });
  say(`# picker store: ${storeLabel}`);

  const row = page.getByRole('group', { name: 'Mapping 1' });
  const remoteKey = row.getByLabel(/^Remote key/);
  await remoteKey.click();
  await remoteKey.fill('');
  const suggestions = page.locator('.MuiAutocomplete-popper [role="option"]');
  await suggestions
    .first()
    .waitFor({ state: 'visible', timeout: 10_000 })
    .catch(() => undefined);
  const suggested = await suggestions.count();
  assert(suggested > 0, `no remote key is suggested for ${storeLabel}`);
  const key = (await suggestions.first().innerText()).trim();
  await suggestions.first().click();
  assert(
    (await remoteKey.inputValue()) === key,
    `the remote key input does not hold the chosen key ${key}`,
  );
  say(`# picker remote key: ${key} (${suggested} suggested)`);

  const secretKey = row.getByLabel(/^Secret key/);
  await secretKey.fill('bad key');
  await row.getByText(/Use only letters, digits/).waitFor({ state: 'visible' });
  assert(
    (await secretKey.getAttribute('aria-invalid')) === 'true',
    'a secret key with a space is not marked invalid',
  );
  await screenshot(
    page,
    'picker.png',
    page.locator('form').filter({ has: row }),
  );

  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page
    .getByText(/Mapping 1, secret key: Use only letters/)
    .first()
    .waitFor({ state: 'visible' });
  assert(
    (await page
      .getByRole('button', { name: 'Create', exact: true })
      .count()) === 0,
    'the Review step was reached with an invalid secret key',
  );

  await secretKey.fill('PICKER_E2E_KEY');
  assert(
    (await secretKey.getAttribute('aria-invalid')) === 'false',
    'a valid secret key is still marked invalid',
  );
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page
    .getByRole('button', { name: 'Create', exact: true })
    .waitFor({ state: 'visible' });
  assert(
    (await page.getByText('PICKER_E2E_KEY').count()) > 0,
    'the Review step does not show the mapped secret key',
  );
}

/**
 * Create, end to end (issue #19 item 4): a new service whose ExternalSecret
 * maps the folder key CREATE_REMOTE_KEY, typed into the picker; the task
 * publishes to the demo's local Git repository and its "Published files"
 * link shows the ExternalSecret with that key.
 * @param {import('playwright-core').Page} page
 */
async function checkCreateAndPublish(page) {
  const name = `e2e-${Date.now().toString(36)}`;
  await page.goto(`${PORTAL_URL}${TEMPLATE_PATH}`, {
    waitUntil: 'domcontentloaded',
  });
  const nameField = page.getByLabel(/^Name/).first();
  await nameField.waitFor({ state: 'visible' });
  await nameField.fill(name);
  await page
    .getByLabel(/^Kubernetes namespace/)
    .first()
    .fill('payments');
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  const store = page.getByRole('combobox', { name: /^Store/ });
  await store.waitFor({ state: 'visible' });
  const option = store
    .locator('option:not([disabled])')
    .filter({ hasText: PICKER_STORE })
    .first();
  await option.waitFor({ state: 'attached' });
  await store.selectOption({
    value: (await option.getAttribute('value')) ?? '',
  });
  const row = page.getByRole('group', { name: 'Mapping 1' });
  const remoteKey = row.getByLabel(/^Remote key/);
  await remoteKey.click();
  await remoteKey.fill(CREATE_REMOTE_KEY);
  const listed = page
    .locator('.MuiAutocomplete-popper [role="option"]')
    .filter({ hasText: new RegExp(`^${CREATE_REMOTE_KEY}$`) });
  if ((await listed.count()) > 0) await listed.first().click();
  else await remoteKey.press('Tab');
  assert(
    (await remoteKey.inputValue()) === CREATE_REMOTE_KEY,
    `the remote key field does not keep ${CREATE_REMOTE_KEY}`,
  );
  await row.getByLabel(/^Secret key/).fill('DB_PASSWORD');

  await page.getByRole('button', { name: 'Review', exact: true }).click();
  const create = page.getByRole('button', { name: 'Create', exact: true });
  await create.waitFor({ state: 'visible' });
  await create.click();

  const published = page.getByRole('link', { name: /Published files/ });
  const finished = await published
    .first()
    .waitFor({ state: 'visible', timeout: 90_000 })
    .then(
      () => true,
      () => false,
    );
  if (!finished) {
    await page.screenshot({ path: join(tmpdir(), 'e2e-create-failed.png') });
    const text = await page.locator('body').innerText();
    throw new Error(
      `the task did not finish with a "Published files" link: ${text
        .split('\n')
        .filter(Boolean)
        .slice(-8)
        .join(' | ')}`,
    );
  }
  await screenshot(page, 'create.png');

  const listUrl = await published.first().getAttribute('href');
  assert(!!listUrl, 'the "Published files" link has no address');
  const filesPage = await page.context().newPage();
  try {
    await filesPage.goto(listUrl, { waitUntil: 'domcontentloaded' });
    const manifestLink = filesPage.getByRole('link', {
      name: 'kubernetes/externalsecret.yaml',
    });
    await manifestLink.waitFor({ state: 'visible' });
    assert(
      (await filesPage
        .getByRole('link', { name: 'catalog-info.yaml' })
        .count()) > 0,
      'the published repository lists no catalog-info.yaml',
    );
    await manifestLink.click();
    await filesPage.waitForLoadState('domcontentloaded');
    const manifest = await filesPage.locator('body').innerText();
    observed.pages.push(manifest);
    assert(
      manifest.includes(`key: ${CREATE_REMOTE_KEY}`) &&
        manifest.includes('secretKey: DB_PASSWORD') &&
        manifest.includes(`name: ${name}`),
      `the published ExternalSecret does not map DB_PASSWORD <- ${CREATE_REMOTE_KEY}`,
    );
    say(`# published ${listUrl}`);
  } finally {
    await filesPage.close();
  }
}

/**
 * The template dry run without the browser's folder picker
 * (scripts/template-dry-run.mjs, documented in the README).
 */
async function checkTemplateDryRun() {
  const backendUrl = process.env.BACKEND_URL ?? 'http://localhost:7007';
  const { files, log } = await dryRunTemplate({
    backendUrl,
    values: {
      name: 'dry-run-e2e',
      owner: 'group:default/guests',
      namespace: 'payments',
      secrets: {
        store: { kind: 'ClusterSecretStore', name: PICKER_STORE },
        data: [
          { secretKey: 'DB_PASSWORD', remoteRef: { key: CREATE_REMOTE_KEY } },
        ],
      },
      validateRemoteKeys: true,
    },
  });
  observed.answers.push(JSON.stringify({ files, log }));
  assert(
    (files['kubernetes/externalsecret.yaml'] ?? '').includes(
      `key: ${CREATE_REMOTE_KEY}`,
    ),
    `the dry run made no ExternalSecret mapping ${CREATE_REMOTE_KEY}`,
  );
  assert(
    log.some(line => line.includes('does not support dry-run')),
    'the dry run did not skip publishing',
  );
}

/**
 * Restart on change, end to end (issue #23): the demo's checkout-db changed on
 * the first cycle; checkout-worker (Reloader's auto annotation) was restarted
 * on change, checkout-api (env vars, no opt-in) needs a restart, and
 * checkout-receipts (a volume) updates in place. "Restart now" rolls
 * checkout-api.
 * @param {import('playwright-core').Page} page
 */
async function checkRollout(page) {
  await page.goto(`${PORTAL_URL}${ROLLOUT_ENTITY_PATH}/external-secrets`, {
    waitUntil: 'domcontentloaded',
  });
  // The InfoCard's root (its header and content divs carry MuiCard* classes too).
  const card = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Workloads reading the synced Secrets' })
    .first();
  await card.waitFor({ state: 'visible' });
  const row = name =>
    card
      .getByRole('row')
      .filter({ hasText: `Deployment ${name}` })
      .first();
  const worker = (await row('checkout-worker').innerText()).replace(
    /\s+/g,
    ' ',
  );
  say(`# checkout-worker: ${worker}`);
  assert(
    /\(on change\)/.test(worker),
    'checkout-worker (reloader.stakater.com/auto) was not restarted on change',
  );
  const api = (await row('checkout-api').innerText()).replace(/\s+/g, ' ');
  say(`# checkout-api: ${api}`);
  assert(
    /restart needed: 2 of 2 pods run the value from before/.test(api),
    'checkout-api is not reported as needing a restart',
  );
  const receipts = (await row('checkout-receipts').innerText()).replace(
    /\s+/g,
    ' ',
  );
  assert(
    /updates in place/.test(receipts),
    'checkout-receipts (volume) is not reported as updating in place',
  );
  await screenshot(page, 'rollout.png', card);
  await row('checkout-api')
    .getByRole('button', { name: /^Restart now/ })
    .click();
  await row('checkout-api')
    .getByText(/\(restart now\)/)
    .waitFor({ state: 'visible' });
  say(
    `# after Restart now: ${(await row('checkout-api').innerText()).replace(
      /\s+/g,
      ' ',
    )}`,
  );
}

async function checkNoSecretValues() {
  const answers = await Promise.all(observed.answers);
  assert(observed.pages.length >= 4, 'fewer than 4 pages were captured');
  assert(answers.length > 0, 'no API answer of the plugin was captured');
  for (const text of [...observed.pages, ...answers]) {
    const leaked = DEMO_SECRET_VALUES.find(value => text.includes(value));
    assert(!leaked, 'a demo secret value reached the browser');
  }
  say(
    `# checked ${observed.pages.length} pages and ${answers.length} API answers`,
  );
}

async function main() {
  say(
    `# portal ${PORTAL_URL}, entity ${ENTITY_PATH}, template ${TEMPLATE_PATH}`,
  );
  const userDataDir = mkdtempSync(join(tmpdir(), 'external-secrets-e2e-'));
  /** @type {import('playwright-core').BrowserContext | undefined} */
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 1000 },
    });
  } catch (error) {
    results.failed += 1;
    say(`not ok - launch Chromium at ${CHROMIUM}: ${error.message}`);
  }

  if (context) {
    context.setDefaultTimeout(TIMEOUT_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', error =>
      say(`# page error: ${error.message.split('\n')[0]}`),
    );
    page.on('response', response => {
      if (!response.url().includes('/api/external-secrets/')) return;
      observed.answers.push(response.text().catch(() => ''));
    });

    const signedIn = await check('sign in as Guest', () => signInAsGuest(page));
    await checkIf(signedIn, 'entity card shows key mappings and states', () =>
      checkEntityCard(page),
    );
    await checkIf(
      signedIn,
      "one Secret draws from both stores: the demo's checkout-payment-gateway (AWS and Infisical)",
      () => checkTwoStoreSecret(page),
    );
    const tabOpen = await checkIf(
      signedIn,
      'Secrets tab shows the key table and events',
      () => openSecretsTab(page),
    );
    await checkIf(
      tabOpen,
      '"Sync now" shows its result, then the new attempt without a reload',
      () => syncNow(page),
    );
    await checkIf(
      signedIn,
      'restart on change: one workload restarted on change, one needing a restart, "Restart now" rolls it',
      () => checkRollout(page),
    );
    await checkIf(
      signedIn,
      'admin page shows counts, stores and the sidebar item',
      () => checkAdminPage(page),
    );
    await checkIf(
      signedIn,
      'secret mappings picker suggests keys, validates and reaches Review',
      () => checkMappingsPicker(page),
    );
    await checkIf(
      signedIn,
      `create with the folder key ${CREATE_REMOTE_KEY}, then the published files`,
      () => checkCreateAndPublish(page),
    );
    await check('template dry run without the folder picker', () =>
      checkTemplateDryRun(),
    );
    await check('no demo secret value in any rendered page or API answer', () =>
      checkNoSecretValues(),
    );
    await context.close();
  }
  rmSync(userDataDir, { recursive: true, force: true });

  say(`${results.passed} passed, ${results.failed} failed`);
  process.exitCode = results.failed > 0 || results.passed === 0 ? 1 : 0;
}

main().catch(error => {
  results.failed += 1;
  say(`not ok - unexpected error: ${error?.stack ?? error}`);
  say(`${results.passed} passed, ${results.failed} failed`);
  process.exitCode = 1;
});
