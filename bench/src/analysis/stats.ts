/** Exponent b of y = a·x^b, by least squares on (ln x, ln y), with R². */
export function logLogFit(
  points: { x: number; y: number }[],
): { exponent: number; r2: number } | undefined {
  const usable = points.filter(p => p.x > 0 && p.y > 0);
  if (usable.length < 2) return undefined;
  const xs = usable.map(p => Math.log(p.x));
  const ys = usable.map(p => Math.log(p.y));
  const mean = (v: number[]) => v.reduce((s, n) => s + n, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) return undefined;
  const exponent = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { exponent: round(exponent, 2), r2: round(r2, 3) };
}

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
