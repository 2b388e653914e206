import { X509Certificate } from 'node:crypto';
import { fail, text, type Fn } from '../functionSupport';
import { filterPEM, orderChain, pemBlocks, pemEncode } from './pem';

function parse(fn: string, input: string): X509Certificate[] {
  const blocks = pemBlocks(input).filter(b => b.type === 'CERTIFICATE');
  if (blocks.length === 0) return fail(`${fn}: failed to decode PEM block`);
  try {
    return blocks.map(b => new X509Certificate(b.bytes));
  } catch (e) {
    return fail(`${fn}: failed to parse certificate: ${(e as Error).message}`);
  }
}

const isRoot = (c: X509Certificate) => c.checkIssued(c);

/** ESO's filterCertChain: the `leaf`, `intermediate` or `root` part of a chain. */
function filterCertChain(type: string, input: string): string {
  const certs = parse('filterCertChain', input);
  const ordered = orderChain(certs);
  if (!ordered)
    return fail(
      'filterCertChain: found multiple leaf or disjunct certificates',
    );
  const pem = (cs: X509Certificate[]) =>
    cs.map(c => pemEncode('CERTIFICATE', c.raw)).join('');
  switch (type) {
    case 'leaf':
      return isRoot(ordered[0]) ? '' : pem(ordered.slice(0, 1));
    case 'intermediate': {
      const rest = ordered.slice(1);
      const end = rest.findIndex(isRoot);
      return pem(end === -1 ? rest : rest.slice(0, end));
    }
    case 'root':
      return isRoot(ordered[ordered.length - 1]) ? pem(ordered.slice(-1)) : '';
    default:
      return '';
  }
}

/** ESO's certSANs: DNS names, IP addresses, emails and URIs of the first certificate. */
function certSANs(input: string): string[] {
  const [cert] = parse('certSANs', input);
  const sans = (cert.subjectAltName ?? '').split(/,\s*/).filter(Boolean);
  const order = ['DNS', 'IP Address', 'email', 'URI'];
  return order.flatMap(kind =>
    sans
      .filter(s => s.startsWith(`${kind}:`))
      .map(s => s.slice(kind.length + 1)),
  );
}

/** ESO's PEM and certificate functions (runtime/template/v2/pem.go). */
export const CERTIFICATE_FUNCTIONS: Record<string, Fn> = {
  filterPEM: {
    min: 2,
    max: 2,
    call: ([t, input]) =>
      filterPEM(text('filterPEM', t), text('filterPEM', input)),
  },
  filterCertChain: {
    min: 2,
    max: 2,
    call: ([t, input]) =>
      filterCertChain(
        text('filterCertChain', t),
        text('filterCertChain', input),
      ),
  },
  certSANs: {
    min: 1,
    max: 1,
    call: ([input]) => certSANs(text('certSANs', input)),
  },
};
