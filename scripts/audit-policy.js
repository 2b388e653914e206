#!/usr/bin/env node
/*
 * The dependency audit policy (docs/security/dependency-policy.md), applied to
 * the NDJSON of `yarn npm audit --json`. Pure functions plus a small CLI used
 * by scripts/audit.sh; tested by scripts/audit-policy.test.js (`node --test`).
 */
'use strict';

const fs = require('node:fs');

/** Severities that block a merge unless accepted in the allow-list. */
const BLOCKING = new Set(['critical', 'high']);
const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'];

/** Parses yarn's NDJSON audit output into `{ id, package, severity, title, url }`. */
function parseAuditOutput(text) {
  const advisories = [];
  for (const line of text.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const details = entry && entry.children;
    if (!details || details.ID === undefined) continue;
    advisories.push({
      id: String(details.ID),
      package: String(entry.value),
      severity: String(details.Severity || 'info').toLowerCase(),
      title: String(details.Issue || ''),
      url: String(details.URL || ''),
    });
  }
  return advisories;
}

/** The advisory's ids as an allow-list may name them: yarn's ID and the GHSA id in its URL. */
function idsOf(advisory) {
  const ghsa = /GHSA-[\w-]+/i.exec(advisory.url);
  return [advisory.id, ...(ghsa ? [ghsa[0]] : [])].map(id => id.toLowerCase());
}

/** Checks the allow-list's shape; returns the problems, one per entry field. */
function validateAllowList(allowList) {
  const problems = [];
  const entries = (allowList && allowList.accepted) || [];
  if (!Array.isArray(entries)) return ['"accepted" must be a list'];
  entries.forEach((entry, i) => {
    for (const field of ['id', 'reason', 'expires']) {
      if (typeof entry[field] !== 'string' || !entry[field].trim()) {
        problems.push(`accepted[${i}].${field} is required`);
      }
    }
    if (
      typeof entry.expires === 'string' &&
      Number.isNaN(Date.parse(entry.expires))
    ) {
      problems.push(
        `accepted[${i}].expires "${entry.expires}" is not a date (YYYY-MM-DD)`,
      );
    }
  });
  return problems;
}

/**
 * Sorts advisories into `blocking` (critical/high, not accepted or accepted
 * past expiry), `accepted` (allow-listed and not expired) and `warnings`
 * (everything below high). `expired` lists allow-list entries past their date.
 */
function evaluate(advisories, allowList, today) {
  const now = today.toISOString().slice(0, 10);
  const entries = (allowList && allowList.accepted) || [];
  const live = entries.filter(e => e.expires >= now);
  const expired = entries.filter(e => e.expires < now);
  const isAccepted = advisory =>
    live.some(e => idsOf(advisory).includes(String(e.id).toLowerCase()));
  const result = { blocking: [], accepted: [], warnings: [], expired };
  for (const advisory of advisories) {
    if (!BLOCKING.has(advisory.severity)) result.warnings.push(advisory);
    else if (isAccepted(advisory)) result.accepted.push(advisory);
    else result.blocking.push(advisory);
  }
  return result;
}

/**
 * True when the audit could not ask the registry: yarn failed and printed no
 * advisory. CI may run offline; the policy then warns instead of failing.
 */
function auditUnreachable(exitCode, advisories) {
  return exitCode !== 0 && advisories.length === 0;
}

/** The HTTP or network error in yarn's stack dump, in a few words. */
function failureReason(stderr, exitCode) {
  const found =
    /Response code \d+ \([^)]*\)|\b(?:ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN)\b/.exec(
      stderr,
    );
  return found
    ? `yarn npm audit failed: ${found[0]}`
    : `yarn npm audit exited with code ${exitCode} and reported no advisory`;
}

const describe = a =>
  `${a.severity.padEnd(8)} ${a.package}: ${a.title} (${a.id}${
    a.url ? `, ${a.url}` : ''
  })`;

function main(argv) {
  const args = Object.fromEntries(
    argv.reduce(
      (pairs, arg, i) =>
        arg.startsWith('--') ? [...pairs, [arg.slice(2), argv[i + 1]]] : pairs,
      [],
    ),
  );
  const report = fs.readFileSync(args.report, 'utf8');
  const stderr = args.stderr ? fs.readFileSync(args.stderr, 'utf8') : '';
  const allowList = fs.existsSync(args.allowlist)
    ? JSON.parse(fs.readFileSync(args.allowlist, 'utf8'))
    : { accepted: [] };
  const problems = validateAllowList(allowList);
  if (problems.length) {
    console.error(
      `audit: ${args.allowlist} is invalid:\n  ${problems.join('\n  ')}`,
    );
    return 1;
  }
  const advisories = parseAuditOutput(report);
  if (auditUnreachable(Number(args['exit-code']), advisories)) {
    console.warn(
      `audit: WARNING: the audit endpoint could not be reached, nothing was checked (${failureReason(
        stderr,
        args['exit-code'],
      )}). Run scripts/audit.sh again when online.`,
    );
    return 0;
  }
  const result = evaluate(advisories, allowList, new Date());
  for (const entry of result.expired) {
    console.warn(
      `audit: WARNING: allow-list entry ${entry.id} expired on ${entry.expires}: it no longer accepts anything`,
    );
  }
  for (const a of result.warnings)
    console.warn(`audit: warning  ${describe(a)}`);
  for (const a of result.accepted)
    console.log(`audit: accepted ${describe(a)}`);
  for (const a of result.blocking)
    console.error(`audit: BLOCKING ${describe(a)}`);
  console.log(
    `audit: ${result.blocking.length} blocking, ${
      result.accepted.length
    } accepted, ${result.warnings.length} below the bar (${SEVERITIES.slice(
      3,
    ).join('/')} block)`,
  );
  return result.blocking.length > 0 ? 1 : 0;
}

module.exports = {
  parseAuditOutput,
  validateAllowList,
  evaluate,
  auditUnreachable,
  failureReason,
};

if (require.main === module) process.exitCode = main(process.argv.slice(2));
