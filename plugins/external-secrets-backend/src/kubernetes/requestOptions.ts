/**
 * Per-request options for the client library's generated APIs: a timeout and,
 * where needed, the Accept or Content-Type header.
 *
 * The header override is how metadata-only reads work without a hand-built
 * request: the generated `readNamespacedSecret`/`listNamespacedSecret` still
 * build the URL, authenticate through the KubeConfig (token, token file, exec,
 * client certificates), pick the TLS agent and map errors, and this middleware
 * only swaps `Accept` for `application/json;as=PartialObjectMetadata[List];
 * g=meta.k8s.io;v=v1` just before sending. The apiserver then answers with
 * metadata only, which the generated deserializer reads into the same typed
 * object (V1Secret/V1SecretList) with `data` absent. There is deliberately no
 * plain `application/json` fallback in that Accept: an apiserver that cannot
 * serve metadata only answers 406 instead of sending the values.
 */
import { Observable } from '@kubernetes/client-node';
import { KeepAliveAgents } from './KeepAliveAgents';
import { TimeoutSignals } from './timeoutSignal';
import type {
  ConfigurationOptions,
  ObservableMiddleware,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';

/** @internal */
export const PARTIAL_OBJECT_METADATA =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
/** @internal */
export const PARTIAL_OBJECT_METADATA_LIST =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
/** @internal */
export const MERGE_PATCH = 'application/merge-patch+json';

/** @internal */
export type RequestOptions = {
  timeoutMs: number;
  /** Swaps the per-request agent for a pooled keep-alive one. */
  agents?: KeepAliveAgents;
  /** Shares timeout signals between requests started together (see TimeoutSignals). */
  signals?: TimeoutSignals;
  accept?: string;
  contentType?: string;
};

/**
 * Middleware must return the library's own Observable stub when passed to the
 * object-parameter APIs that `makeApiClient` returns (they call the
 * observable API directly; promise-returning middleware fails there).
 *
 * @internal
 */
export function requestOptions(options: RequestOptions): ConfigurationOptions {
  const middleware: ObservableMiddleware = {
    pre(context: RequestContext) {
      if (options.accept) context.setHeaderParam('Accept', options.accept);
      if (options.contentType) {
        context.setHeaderParam('Content-Type', options.contentType);
      }
      context.setSignal(
        options.signals?.signal(options.timeoutMs) ??
          AbortSignal.timeout(options.timeoutMs),
      );
      const agent = options.agents?.reuse(context.getAgent());
      if (agent) context.setAgent(agent);
      return new Observable(Promise.resolve(context));
    },
    post(context: ResponseContext) {
      return new Observable(Promise.resolve(context));
    },
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}
