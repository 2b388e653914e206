import {
  ExternalSecretRecord,
  StatusStore,
  SyncResultSave,
} from '../database/StatusStore';
import { SyncResultSaves } from './SyncResultSaves';

function entry(name: string): SyncResultSave {
  return {
    record: { name } as ExternalSecretRecord,
    events: [],
  };
}

/** A store whose saves finish when the test says so. */
function slowStore(failing: Set<string> = new Set()) {
  const calls: string[][] = [];
  const finish: (() => void)[] = [];
  const store: Pick<StatusStore, 'saveSyncResults'> = {
    saveSyncResults: jest.fn(async (entries: SyncResultSave[]) => {
      const names = entries.map(e => e.record.name);
      calls.push(names);
      await new Promise<void>(resolve => finish.push(resolve));
      const bad = names.find(name => failing.has(name));
      if (bad) throw new Error(`row ${bad} refused`);
    }),
  };
  const finishAll = async () => {
    while (finish.length > 0 || calls.length === 0) {
      finish.splice(0).forEach(done => done());
      await new Promise(resolve => setImmediate(resolve));
    }
  };
  return { store, calls, finishAll };
}

describe('SyncResultSaves', () => {
  it('should save what arrives in one turn together, and what arrives during a save in the next group', async () => {
    const { store, calls, finishAll } = slowStore();
    const saves = new SyncResultSaves(store, 50);

    const first = [saves.save(entry('a')), saves.save(entry('b'))];
    await new Promise(resolve => setImmediate(resolve));
    await new Promise(resolve => setImmediate(resolve));
    // The first group is being written: these wait and go together.
    const second = [saves.save(entry('c')), saves.save(entry('d'))];
    const third = saves.save(entry('e'));
    const done = Promise.all([...first, ...second, third]);
    await finishAll();
    await done;

    expect(calls).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
  });

  it('should resolve a save only once its group is committed', async () => {
    const { store, finishAll } = slowStore();
    const saves = new SyncResultSaves(store, 50);
    let saved = false;

    const pending = saves.save(entry('a')).then(() => {
      saved = true;
    });
    await new Promise(resolve => setImmediate(resolve));
    await new Promise(resolve => setImmediate(resolve));

    expect(saved).toBe(false);
    await finishAll();
    await pending;
    expect(saved).toBe(true);
  });

  it('should fail only the save whose row is refused: a failed group is saved again one by one', async () => {
    const { store, calls, finishAll } = slowStore(new Set(['bad']));
    const saves = new SyncResultSaves(store, 50);

    const results = Promise.allSettled([
      saves.save(entry('a')),
      saves.save(entry('bad')),
      saves.save(entry('c')),
    ]);
    await finishAll();

    expect((await results).map(r => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(calls).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });

  it('should pass the events kept per ExternalSecret to the store', async () => {
    const { store, finishAll } = slowStore();
    const saves = new SyncResultSaves(store, 7);

    const pending = saves.save(entry('a'));
    await finishAll();
    await pending;

    expect(store.saveSyncResults).toHaveBeenCalledWith([entry('a')], 7);
  });
});
