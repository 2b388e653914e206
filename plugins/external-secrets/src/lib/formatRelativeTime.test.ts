import { formatRelativeTime } from './formatRelativeTime';

const now = new Date('2026-03-01T12:00:00.000Z');
const at = (offsetSeconds: number) =>
  new Date(now.getTime() + offsetSeconds * 1000);

describe('formatRelativeTime', () => {
  it.each([
    [-5, 'just now'],
    [10, 'in a few seconds'],
    [-60, '1 minute ago'],
    [-5 * 60, '5 minutes ago'],
    [5 * 60, 'in 5 minutes'],
    [-3 * 3600, '3 hours ago'],
    [-24 * 3600, 'yesterday'],
    [2 * 24 * 3600, 'in 2 days'],
    [-14 * 24 * 3600, '2 weeks ago'],
    [-400 * 24 * 3600, 'last year'],
  ])('should describe an offset of %i seconds as "%s"', (offset, expected) => {
    expect(formatRelativeTime(at(offset), now)).toBe(expected);
  });
});
