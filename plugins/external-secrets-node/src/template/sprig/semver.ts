import semverLib from 'semver';
import { fail, text, type Fn } from '../functionSupport';
import type { TMap } from '../values';

const VERSION =
  /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Masterminds semver.NewVersion: a leading `v` and missing minor/patch are accepted. */
function parse(fn: string, input: string): semverLib.SemVer {
  const m = VERSION.exec(input.trim());
  const parsed =
    m &&
    semverLib.parse(
      `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}${m[4] ?? ''}${m[5] ?? ''}`,
    );
  if (!parsed) return fail(`${fn}: Invalid Semantic Version: ${input}`);
  return parsed;
}

/**
 * `semver` gives a dict with Masterminds' Version accessors as keys
 * (`.Major`, `.Minor`, `.Patch`, `.Prerelease`, `.Metadata`, `.Original`).
 */
function version(input: string): TMap {
  const v = parse('semver', input);
  return new Map<string, string | number>([
    ['Major', v.major],
    ['Minor', v.minor],
    ['Patch', v.patch],
    ['Prerelease', v.prerelease.join('.')],
    ['Metadata', v.build.join('.')],
    ['Original', input],
  ]);
}

/** Masterminds constraints: `,` is AND, `||` is OR, as npm's ranges with spaces. */
function satisfies(constraint: string, input: string): boolean {
  const range = semverLib.validRange(constraint.replace(/,/g, ' '));
  if (range === null)
    return fail(`semverCompare: improper constraint: ${constraint}`);
  return semverLib.satisfies(parse('semverCompare', input), range);
}

/** sprig's semver functions (runtime/template/v2/sprig/semver.go). */
export const SEMVER_FUNCTIONS: Record<string, Fn> = {
  semver: { min: 1, max: 1, call: ([v]) => version(text('semver', v)) },
  semverCompare: {
    min: 2,
    max: 2,
    call: ([c, v]) =>
      satisfies(text('semverCompare', c), text('semverCompare', v)),
  },
};
