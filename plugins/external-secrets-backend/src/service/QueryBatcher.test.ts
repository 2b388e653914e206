import { QueryBatcher } from './QueryBatcher';

/** A query the test answers by hand, recording which keys each call asked for. */
function manualQuery() {
  const calls: {
    keys: string[];
    answer(values: Record<string, number>): void;
    fail(error: Error): void;
  }[] = [];
  const query = (keys: string[]) =>
    new Promise<Map<string, number>>((resolve, reject) => {
      calls.push({
        keys,
        answer: values => resolve(new Map(Object.entries(values))),
        fail: reject,
      });
    });
  return { calls, query };
}

const turn = () => new Promise(resolve => setImmediate(resolve));

describe('QueryBatcher (issue #22: status API under concurrent clients)', () => {
  it('should ask for the keys requested in one turn of the event loop in one query', async () => {
    const { calls, query } = manualQuery();
    const batcher = new QueryBatcher(query);

    const answers = Promise.all(['a', 'b', 'a'].map(k => batcher.load(k)));
    await turn();
    expect(calls.map(c => c.keys)).toEqual([['a', 'b']]);
    calls[0].answer({ a: 1, b: 2 });

    await expect(answers).resolves.toEqual([1, 2, 1]);
  });

  it('should answer a key asked while a query runs with the next query, never the running one', async () => {
    const { calls, query } = manualQuery();
    const batcher = new QueryBatcher(query);

    const early = batcher.load('a');
    await turn();
    const late = [batcher.load('a'), batcher.load('b'), batcher.load('c')];
    await turn();
    expect(calls).toHaveLength(1);
    calls[0].answer({ a: 1 });
    await expect(early).resolves.toBe(1);
    await turn();

    expect(calls.map(c => c.keys)).toEqual([['a'], ['a', 'b', 'c']]);
    calls[1].answer({ a: 10, b: 20, c: 30 });
    await expect(Promise.all(late)).resolves.toEqual([10, 20, 30]);
  });

  it('should fail only the callers of a failed query, and a key the query did not answer', async () => {
    const { calls, query } = manualQuery();
    const batcher = new QueryBatcher(query);

    const failed = batcher.load('a');
    await turn();
    const next = [batcher.load('b'), batcher.load('missing')];
    calls[0].fail(new Error('connection reset'));
    await expect(failed).rejects.toThrow('connection reset');
    await turn();
    calls[1].answer({ b: 2 });

    await expect(next[0]).resolves.toBe(2);
    await expect(next[1]).rejects.toThrow('no answer for missing');
  });

  it('should split more keys than one query may carry into consecutive queries', async () => {
    const { calls, query } = manualQuery();
    const batcher = new QueryBatcher(query, 2);

    const answers = Promise.all(['a', 'b', 'c'].map(k => batcher.load(k)));
    await turn();
    calls[0].answer({ a: 1, b: 2 });
    await turn();
    await turn();
    calls[1].answer({ c: 3 });

    await expect(answers).resolves.toEqual([1, 2, 3]);
    expect(calls.map(c => c.keys)).toEqual([['a', 'b'], ['c']]);
  });
});
