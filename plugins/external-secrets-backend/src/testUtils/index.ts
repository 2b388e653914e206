/**
 * Test and demo utilities: a simulated Kubernetes API server that the plugin's
 * own tests use, and that the demo backend starts as a "simulated cluster".
 *
 * @packageDocumentation
 */

export * from './kubernetes';
