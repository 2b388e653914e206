import { setTimeout as sleep } from 'node:timers/promises';
import { TimeoutSignals } from './timeoutSignal';

describe('TimeoutSignals', () => {
  it('should give requests started together one signal that fires no earlier than their timeout', async () => {
    const signals = new TimeoutSignals();
    const started = performance.now();
    const first = signals.signal(50);
    const second = signals.signal(50);

    expect(second).toBe(first);
    await new Promise(resolve =>
      first.addEventListener('abort', resolve, { once: true }),
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(49);
    expect((first.reason as Error).name).toBe('TimeoutError');
  });

  it('should start a new signal for requests after the window, and per timeout', async () => {
    const signals = new TimeoutSignals();
    const first = signals.signal(10_000);

    expect(signals.signal(5_000)).not.toBe(first);
    await sleep(150);
    const later = signals.signal(10_000);
    expect(later).not.toBe(first);
    expect(later.aborted).toBe(false);
  });
});
