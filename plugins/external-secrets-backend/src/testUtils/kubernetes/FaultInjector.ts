/**
 * Injected failures and latency, matched per (verb, resource[, namespace, name]).
 */
import { KubernetesVerb, ParsedRequest } from './parseRequestPath';

/**
 * A failure (and/or delay) to inject. Unset match fields match anything.
 * Without `status` the fault only adds latency; without `times` it applies to
 * every matching request until `clearFaults()`.
 *
 * @public
 */
export type SimulatorFault = {
  verb?: KubernetesVerb;
  /** `secrets`, `externalsecrets`, `externalsecrets/status`, ... */
  resource?: string;
  namespace?: string;
  name?: string;
  /** HTTP status to answer with: 401, 403, 404, 409, 429, 500, 503, ... */
  status?: number;
  /** Overrides the Status message (403 and 404 are worded like the apiserver's by default). */
  message?: string;
  /** How many matching requests fail; default unlimited. */
  times?: number;
  /** Delay before the request is handled (or failed). */
  latencyMs?: number;
  /** Sent as `Retry-After` and in `details.retryAfterSeconds` (429/503). */
  retryAfterSeconds?: number;
  /**
   * Reset the connection instead of answering (after `latencyMs`): an
   * apiserver that is unreachable mid-cycle. The request is logged with status 0.
   */
  dropConnection?: boolean;
  /**
   * Hold each matching request until this promise settles (after `latencyMs`),
   * so a test decides when in-flight writes land, e.g. two replicas' writes to
   * one object at once.
   */
  gate?: Promise<unknown>;
};

type ActiveFault = SimulatorFault & { remaining: number };

/** @internal */
export class FaultInjector {
  private faults: ActiveFault[] = [];

  add(fault: SimulatorFault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  /** The first matching fault with uses left, consuming one use. */
  take(request: ParsedRequest): SimulatorFault | undefined {
    const fault = this.faults.find(
      f =>
        f.remaining > 0 &&
        (f.verb === undefined || f.verb === request.verb) &&
        (f.resource === undefined || f.resource === request.resource) &&
        (f.namespace === undefined || f.namespace === request.namespace) &&
        (f.name === undefined || f.name === request.name),
    );
    if (fault) fault.remaining -= 1;
    return fault;
  }
}
