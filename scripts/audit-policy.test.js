// Run with `node --test scripts/audit-policy.test.js`.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const {
  parseAuditOutput,
  validateAllowList,
  evaluate,
  auditUnreachable,
  failureReason,
} = require('./audit-policy');

const line = (pkg, id, severity, ghsa = 'GHSA-aaaa-bbbb-cccc') =>
  JSON.stringify({
    value: pkg,
    children: {
      ID: id,
      Issue: `${pkg} issue`,
      URL: `https://github.com/advisories/${ghsa}`,
      Severity: severity,
      'Vulnerable Versions': '<1.0.0',
      'Tree Versions': ['0.9.0'],
      Dependents: ['x@npm:1.0.0'],
    },
  });

const TODAY = new Date('2026-06-01T12:00:00Z');

test('should read every advisory of the NDJSON report and skip other lines', () => {
  const report = [
    line('lodash', 1106913, 'high', 'GHSA-p6mc-m468-83gw'),
    'not json',
    '{"value":"no-children"}',
    line('minimist', 1097678, 'critical'),
  ].join('\n');

  assert.deepEqual(
    parseAuditOutput(report).map(a => [a.package, a.id, a.severity]),
    [
      ['lodash', '1106913', 'high'],
      ['minimist', '1097678', 'critical'],
    ],
  );
});

test('should block critical and high advisories and only warn about the rest', () => {
  const advisories = parseAuditOutput(
    [
      line('a', 1, 'critical'),
      line('b', 2, 'high'),
      line('c', 3, 'moderate'),
      line('d', 4, 'low'),
    ].join('\n'),
  );

  const result = evaluate(advisories, { accepted: [] }, TODAY);

  assert.deepEqual(
    result.blocking.map(a => a.package),
    ['a', 'b'],
  );
  assert.deepEqual(
    result.warnings.map(a => a.package),
    ['c', 'd'],
  );
});

test('should accept an allow-listed advisory by yarn id or GHSA id until its expiry', () => {
  const advisories = parseAuditOutput(
    [
      line('a', 1, 'high', 'GHSA-1111-2222-3333'),
      line('b', 2, 'critical'),
    ].join('\n'),
  );
  const allowList = {
    accepted: [
      {
        id: 'ghsa-1111-2222-3333',
        reason: 'not reachable',
        expires: '2026-06-01',
      },
      { id: '2', reason: 'dev only', expires: '2026-05-31' },
    ],
  };

  const result = evaluate(advisories, allowList, TODAY);

  assert.deepEqual(
    result.accepted.map(a => a.package),
    ['a'],
  );
  assert.deepEqual(
    result.blocking.map(a => a.package),
    ['b'],
  );
  assert.deepEqual(
    result.expired.map(e => e.id),
    ['2'],
  );
});

test('should require an id, a reason and a real expiry date in each allow-list entry', () => {
  assert.deepEqual(
    validateAllowList({
      accepted: [
        { id: '1', reason: ' ', expires: 'soon' },
        { id: '2', reason: 'r' },
      ],
    }),
    [
      'accepted[0].reason is required',
      'accepted[0].expires "soon" is not a date (YYYY-MM-DD)',
      'accepted[1].expires is required',
    ],
  );
  assert.deepEqual(validateAllowList({ accepted: [] }), []);
});

test('should treat a failed audit without any advisory as an unreachable endpoint', () => {
  assert.equal(auditUnreachable(1, []), true);
  assert.equal(auditUnreachable(0, []), false);
  assert.equal(
    auditUnreachable(1, parseAuditOutput(line('a', 1, 'high'))),
    false,
  );
});

test('should name the HTTP or network error when the endpoint is unreachable', () => {
  assert.equal(
    failureReason(
      'HTTPError: Response code 405 (Method Not Allowed)\n  at x',
      1,
    ),
    'yarn npm audit failed: Response code 405 (Method Not Allowed)',
  );
  assert.equal(
    failureReason('Error: getaddrinfo ENOTFOUND registry.yarnpkg.com', 1),
    'yarn npm audit failed: ENOTFOUND',
  );
  assert.equal(
    failureReason('', 1),
    'yarn npm audit exited with code 1 and reported no advisory',
  );
});
