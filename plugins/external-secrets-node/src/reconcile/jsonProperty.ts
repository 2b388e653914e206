import type { JsonNode } from './jsonDocument';

/**
 * `remoteRef.property` paths as ESO reads them with gjson: `a.b.c` walks into
 * objects, a number indexes an array (`list.0`), and `\` escapes the next
 * character so keys containing dots work (`tls\.crt`). gjson's wildcards,
 * `#` queries, `@` modifiers and `|` pipes are reported as unsupported rather
 * than silently matching something else.
 */
export type PropertyPath =
  | { ok: true; parts: string[] }
  | { ok: false; message: string };

export function parsePropertyPath(path: string): PropertyPath {
  const parts: string[] = [];
  let current = '';
  let escapedStart = false;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' && i + 1 < path.length) {
      if (current === '') escapedStart = true;
      current += path[++i];
      continue;
    }
    if (c === '.') {
      parts.push(current);
      current = '';
      escapedStart = false;
      continue;
    }
    const special =
      '*?|'.includes(c) ||
      (current === '' && !escapedStart && '#@'.includes(c));
    if (special) {
      return {
        ok: false,
        message: `property "${path}" uses gjson syntax that is not supported ('${c}'); escape it with \\ to match the character literally`,
      };
    }
    current += c;
  }
  parts.push(current);
  return { ok: true, parts };
}

/** The value at `parts`, or undefined when any step is missing. */
export function selectJson(
  root: JsonNode,
  parts: string[],
): JsonNode | undefined {
  let node: JsonNode | undefined = root;
  for (const part of parts) {
    if (!node) return undefined;
    if (node.type === 'object') {
      node = node.entries.get(part);
    } else if (node.type === 'array' && /^\d+$/.test(part)) {
      node = node.items[Number(part)];
    } else {
      return undefined;
    }
  }
  return node;
}
