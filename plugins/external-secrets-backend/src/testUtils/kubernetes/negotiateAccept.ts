/**
 * Content negotiation for reads. A client asks for metadata only with
 * `Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1` (get)
 * or `...;as=PartialObjectMetadataList;...` (list), optionally followed by a
 * plain `application/json` fallback; an `as=` that does not fit the request and
 * has no fallback is a 406, as on a real apiserver.
 */

/** @internal */
export type Representation = 'full' | 'metadata' | 'unacceptable';

const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);
const META_GROUP = 'meta.k8s.io';
const META_VERSIONS = new Set(['v1', 'v1beta1']);

function parseMediaRange(range: string) {
  const [type, ...params] = range.split(';').map(part => part.trim());
  const parameters = new Map<string, string>();
  for (const param of params) {
    const [key, value] = param.split('=').map(part => part.trim());
    if (key && value !== undefined) parameters.set(key.toLowerCase(), value);
  }
  return { type: type.toLowerCase(), parameters };
}

/** The content type of a metadata-only answer. @internal */
export function partialMetadataContentType(isList: boolean): string {
  const as = isList ? 'PartialObjectMetadataList' : 'PartialObjectMetadata';
  return `application/json;as=${as};g=${META_GROUP};v=v1`;
}

/** Picks the first acceptable media range, in the client's order. @internal */
export function negotiateAccept(
  accept: string | undefined,
  isList: boolean,
): Representation {
  if (!accept) return 'full';
  const wantedAs = isList
    ? 'PartialObjectMetadataList'
    : 'PartialObjectMetadata';
  for (const range of accept.split(',')) {
    const { type, parameters } = parseMediaRange(range);
    if (!JSON_TYPES.has(type)) continue;
    const as = parameters.get('as');
    if (as === undefined) return 'full';
    if (
      as === wantedAs &&
      parameters.get('g') === META_GROUP &&
      META_VERSIONS.has(parameters.get('v') ?? '')
    ) {
      return 'metadata';
    }
  }
  return 'unacceptable';
}
