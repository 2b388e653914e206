import { dictArg, fail, text, type Fn } from '../functionSupport';
import type { TMap, TValue } from '../values';

/** Go's url.Parse, as sprig's urlParse returns it (runtime/template/v2/sprig/url.go). */
function urlParse(input: string): TMap {
  const m =
    /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(
      input,
    );
  if (!m) return fail(`urlParse: unable to parse url: ${input}`);
  const [, scheme = '', authority, path = '', query = '', fragment = ''] = m;
  const at = authority?.lastIndexOf('@') ?? -1;
  const userinfo = authority && at >= 0 ? authority.slice(0, at) : '';
  const host = authority ? authority.slice(at + 1) : '';
  const opaque =
    authority === undefined && scheme && !path.startsWith('/') ? path : '';
  return new Map<string, TValue>([
    ['scheme', scheme],
    ['host', host],
    ['hostname', host.replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/:\d+$/, '')],
    ['path', opaque ? '' : decodeURIComponent(path)],
    ['query', query],
    ['opaque', opaque],
    ['fragment', decodeURIComponent(fragment)],
    ['userinfo', userinfo],
  ]);
}

/** sprig's urlJoin: a URL from urlParse's keys. */
function urlJoin(d: TMap): string {
  const get = (k: string) => {
    const v = d.get(k);
    return v === undefined || v === null ? '' : text('urlJoin', v);
  };
  const [scheme, host, path, query, opaque, fragment, userinfo] = [
    'scheme',
    'host',
    'path',
    'query',
    'opaque',
    'fragment',
    'userinfo',
  ].map(get);
  let out = scheme ? `${scheme}:` : '';
  if (opaque) out += opaque;
  else {
    if (host || userinfo) out += `//${userinfo ? `${userinfo}@` : ''}${host}`;
    out += encodeURI(path);
  }
  if (query) out += `?${query}`;
  if (fragment) out += `#${encodeURIComponent(fragment)}`;
  return out;
}

/** sprig's URL functions (runtime/template/v2/sprig/url.go). */
export const URL_FUNCTIONS: Record<string, Fn> = {
  urlParse: { min: 1, max: 1, call: ([u]) => urlParse(text('urlParse', u)) },
  urlJoin: { min: 1, max: 1, call: ([d]) => urlJoin(dictArg('urlJoin', d)) },
};
