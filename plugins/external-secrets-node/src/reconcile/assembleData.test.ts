import { SecretValue } from '../values/SecretValue';
import type { TemplateData } from './applyTemplate';
import { assembleData } from './assembleData';
import type { EntryResult } from './resolveEntries';
import type { KeyStatus, ReconcileInput } from './types';

const v = (text: string) => SecretValue.fromString(text);

function input(
  target: Record<string, unknown>,
  current: Record<string, string>,
): ReconcileInput {
  return {
    parsed: { externalSecret: { spec: { target } } },
    current: {
      data: Object.fromEntries(
        Object.entries(current).map(([k, text]) => [k, v(text)]),
      ),
    },
  } as unknown as ReconcileInput;
}

const complete: EntryResult[] = [
  { id: 'data[0]', outcomes: [], complete: true, gone: false },
];
const status = (
  secretKey: string,
  state: KeyStatus['state'],
  source = 'data[0]',
): KeyStatus => ({ secretKey, source, state, reason: 'Synced' } as KeyStatus);

const texts = (data: Map<string, SecretValue>) =>
  Object.fromEntries([...data].map(([k, value]) => [k, value.text()]));

describe('assembleData', () => {
  it('Owner: only the fetched keys, a failed key keeps its current value', () => {
    const data = assembleData(
      input({ creationPolicy: 'Owner' }, { a: 'old-a', b: 'old-b', x: 'x' }),
      complete,
      new Map([['a', v('new-a')]]),
      undefined,
      [status('a', 'synced'), status('b', 'error')],
    );
    expect(texts(data)).toEqual({ a: 'new-a', b: 'old-b' });
  });

  it('Merge: the current data is the base, a key proven gone is removed', () => {
    const data = assembleData(
      input({ creationPolicy: 'Merge' }, { a: 'old-a', gone: 'g', x: 'x' }),
      complete,
      new Map([['a', v('new-a')]]),
      undefined,
      [status('a', 'synced'), status('gone', 'removed')],
    );
    expect(texts(data)).toEqual({ a: 'new-a', x: 'x' });
  });

  it('keeps the current data while an entry could not give a full answer', () => {
    const data = assembleData(
      input({ creationPolicy: 'Owner' }, { x: 'x' }),
      [{ ...complete[0], complete: false }],
      new Map([['a', v('new-a')]]),
      undefined,
      [status('a', 'synced')],
    );
    expect(texts(data)).toEqual({ a: 'new-a', x: 'x' });
  });

  it('a Replace template renders the data alone; its keys win over fetched ones', () => {
    const templateData = {
      data: new Map([['url', v('rendered')]]),
      outcomes: [],
    } as TemplateData;
    const replaced = assembleData(
      input({ creationPolicy: 'Owner', template: {} }, {}),
      complete,
      new Map([['a', v('new-a')]]),
      templateData,
      [status('a', 'synced'), status('url', 'synced', 'template.data[url]')],
    );
    expect(texts(replaced)).toEqual({ url: 'rendered' });
    const merged = assembleData(
      input(
        { creationPolicy: 'Owner', template: { mergePolicy: 'Merge' } },
        {},
      ),
      complete,
      new Map([
        ['a', v('new-a')],
        ['url', v('fetched')],
      ]),
      templateData,
      [status('a', 'synced'), status('url', 'synced', 'template.data[url]')],
    );
    expect(texts(merged)).toEqual({ a: 'new-a', url: 'rendered' });
  });
});
