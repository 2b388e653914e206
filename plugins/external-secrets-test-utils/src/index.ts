/**
 * Test and demo utilities for External Secrets for Backstage, kept out of the
 * production packages: an Infisical API simulator (msw handlers or a local
 * HTTP(S) server), its test-only TLS material, a `file:` UrlReader for
 * local catalog files, and a `probe` provider that records the stores it would
 * contact. Never install it into a production backend.
 *
 * @packageDocumentation
 */

export * from './infisical';
export * from './aws';
export * from './tls';
export * from './localFileUrlReader';
export * from './providers';
