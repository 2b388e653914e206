/** One step of a field path: an object key or an array index. */
export type PathSegment = string | number;

/** The path used for issues about the document as a whole. */
export const ROOT_PATH = '(root)';

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Keys come from user input: keep messages readable even for a 1 MB key. */
const MAX_KEY_LENGTH = 100;

/** Cuts long user-provided text, marking the cut with an ellipsis. */
export function truncate(text: string, max = MAX_KEY_LENGTH): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Renders a path the way users read it in kubectl output and ESO errors:
 * `spec.data[2].secretKey`, and bracket-quoted keys where a dot would be
 * ambiguous: `spec.target.template.metadata.annotations["kubernetes.io/x"]`.
 */
export function formatFieldPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return ROOT_PATH;
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      text += `[${segment}]`;
    } else if (BARE_KEY.test(segment) && segment.length <= MAX_KEY_LENGTH) {
      text += text ? `.${segment}` : segment;
    } else {
      text += `[${JSON.stringify(truncate(segment))}]`;
    }
  }
  return text;
}
