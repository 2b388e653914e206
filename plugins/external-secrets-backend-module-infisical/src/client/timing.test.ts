import { realSleep } from './timing';

describe('realSleep', () => {
  it('should resolve after the delay', async () => {
    const started = Date.now();
    await realSleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('should reject when the signal aborts, before or during the wait', async () => {
    const controller = new AbortController();
    const waiting = realSleep(10_000, controller.signal);
    controller.abort(new Error('cycle cancelled'));

    await expect(waiting).rejects.toThrow('cycle cancelled');
    await expect(realSleep(10, controller.signal)).rejects.toThrow(
      'cycle cancelled',
    );
  });
});
