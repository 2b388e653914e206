import type { Fn } from './functionSupport';
import { CERTIFICATE_FUNCTIONS } from './eso/certificates';
import { JWK_FUNCTIONS } from './eso/jwk';
import { PKCS12_FUNCTIONS } from './eso/pkcs12';
import { CRYPTO_FUNCTIONS } from './sprig/crypto';
import { DATE_FUNCTIONS } from './sprig/dates';
import { DEFAULT_FUNCTIONS } from './sprig/defaults';
import { DICT_FUNCTIONS } from './sprig/dicts';
import { ENCODING_FUNCTIONS } from './sprig/encoding';
import { LIST_FUNCTIONS } from './sprig/lists';
import { NUMERIC_FUNCTIONS } from './sprig/numeric';
import { PATH_FUNCTIONS } from './sprig/paths';
import { RANDOM_FUNCTIONS } from './sprig/random';
import { REFLECT_FUNCTIONS } from './sprig/reflect';
import { REGEX_FUNCTIONS } from './sprig/regex';
import { SEMVER_FUNCTIONS } from './sprig/semver';
import { STRING_FUNCTIONS } from './sprig/strings';
import { URL_FUNCTIONS } from './sprig/url';

/**
 * ESO's template v2 FuncMap (runtime/template/v2/template.go, tplFuncs):
 * its own functions plus its sprig fork's TxtFuncMap
 * (runtime/template/v2/sprig/functions.go, which has no env/expandenv or
 * network lookups), one family per file. None does I/O.
 */
export const FUNCTION_FAMILIES: Record<string, Fn>[] = [
  STRING_FUNCTIONS,
  DATE_FUNCTIONS,
  REGEX_FUNCTIONS,
  NUMERIC_FUNCTIONS,
  LIST_FUNCTIONS,
  DICT_FUNCTIONS,
  DEFAULT_FUNCTIONS,
  ENCODING_FUNCTIONS,
  REFLECT_FUNCTIONS,
  PATH_FUNCTIONS,
  CRYPTO_FUNCTIONS,
  RANDOM_FUNCTIONS,
  SEMVER_FUNCTIONS,
  URL_FUNCTIONS,
  PKCS12_FUNCTIONS,
  CERTIFICATE_FUNCTIONS,
  JWK_FUNCTIONS,
];
