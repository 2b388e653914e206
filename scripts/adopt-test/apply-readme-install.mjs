#!/usr/bin/env node
// node scripts/adopt-test/apply-readme-install.mjs APP_DIR README...
//
// Does, in a freshly created Backstage app, what each package README's
// "## Install" section says, from its fenced code blocks and nothing else:
//   ```bash   every command line runs in the app's root, as an adopter would
//             paste it (`yarn --cwd packages/backend add <name>` ...);
//   ```ts     starting `// packages/backend/src/index.ts`: the lines go in
//             before `backend.start();`;
//   ```yaml   starting `# app-config.yaml`: merged into app-config.yaml;
//   ```yaml   starting `# catalog-info.yaml`: merged into the app's example
//             component (examples/entities.yaml, `example-website`), which
//             stands in for the adopter's own component.
// Any other block in an Install section fails the test: the READMEs' install
// steps and what this test executes cannot drift apart.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';

const [appDir, ...readmes] = process.argv.slice(2);
if (!appDir || readmes.length === 0) {
  console.error('usage: apply-readme-install.mjs APP_DIR README...');
  process.exit(2);
}

/** The fenced blocks of the `## Install` section (up to the next `## `). */
function installBlocks(markdown) {
  const start = markdown.search(/^## Install\s*$/m);
  if (start < 0) return undefined;
  const rest = markdown.slice(start).split('\n').slice(1);
  const end = rest.findIndex(line => /^## /.test(line));
  const section = (end < 0 ? rest : rest.slice(0, end)).join('\n');
  return [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map(m => ({
    lang: m[1],
    text: m[2],
  }));
}

/** Every leaf path of a plain object (arrays are leaves). */
function leaves(value, path = []) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [[path, value]];
}

function mergeInto(document, snippet) {
  for (const [path, value] of leaves(snippet)) document.setIn(path, value);
}

const firstLine = text => text.split('\n')[0].trim();
const body = text => text.split('\n').slice(1).join('\n');

function runCommands(text) {
  for (const line of text.split('\n').map(l => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    console.log(`adopt-test: $ ${line}`);
    execSync(line, { cwd: appDir, stdio: 'inherit' });
  }
}

function addToBackend(text) {
  const file = join(appDir, 'packages/backend/src/index.ts');
  const source = readFileSync(file, 'utf8');
  if (!source.includes('backend.start();')) {
    throw new Error(`${file} has no 'backend.start();' to insert before`);
  }
  writeFileSync(
    file,
    source.replace(
      'backend.start();',
      `${body(text).trim()}\n\nbackend.start();`,
    ),
  );
  console.log(
    `adopt-test: added to packages/backend/src/index.ts:\n${body(text)}`,
  );
}

function mergeAppConfig(text) {
  const file = join(appDir, 'app-config.yaml');
  const document = parseDocument(readFileSync(file, 'utf8'));
  mergeInto(document, parseDocument(text).toJS());
  writeFileSync(file, document.toString({ flowCollectionPadding: false }));
  console.log(`adopt-test: merged into app-config.yaml:\n${text}`);
}

function mergeExampleComponent(text) {
  const file = join(appDir, 'examples/entities.yaml');
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  const component = documents.find(
    d =>
      d.get('kind') === 'Component' &&
      d.getIn(['metadata', 'name']) === 'example-website',
  );
  if (!component) throw new Error(`${file} has no Component example-website`);
  mergeInto(component, parseDocument(text).toJS());
  writeFileSync(
    file,
    documents.map(d => d.toString({ flowCollectionPadding: false })).join(''),
  );
  console.log(`adopt-test: merged into example-website:\n${text}`);
}

for (const readme of readmes) {
  const blocks = installBlocks(readFileSync(readme, 'utf8'));
  if (!blocks || blocks.length === 0) {
    throw new Error(`${readme}: no fenced code block under '## Install'`);
  }
  console.log(`adopt-test: == ${readme} (${blocks.length} blocks)`);
  for (const block of blocks) {
    const head = firstLine(block.text);
    if (block.lang === 'bash' || block.lang === 'sh') runCommands(block.text);
    else if (/^\/\/ packages\/backend\/src\/index\.ts/.test(head))
      addToBackend(block.text);
    else if (/^# app-config\.yaml/.test(head)) mergeAppConfig(block.text);
    else if (/^# catalog-info\.yaml/.test(head))
      mergeExampleComponent(block.text);
    else {
      throw new Error(
        `${readme}: the adoption test does not know where this Install block goes (first line '${head}'): see scripts/adopt-test/apply-readme-install.mjs`,
      );
    }
  }
}
