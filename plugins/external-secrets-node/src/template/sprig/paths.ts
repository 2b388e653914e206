import { posix } from 'node:path';
import { str, type Fn } from '../functionSupport';

/** Go's path.Clean (node's posix normalize, without the trailing slash, "" as "."). */
function clean(p: string): string {
  if (p === '') return '.';
  const normalized = posix.normalize(p);
  return normalized.length > 1 ? normalized.replace(/\/$/, '') : normalized;
}

/** Go's path.Base. */
function base(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Go's path.Dir. */
function dir(p: string): string {
  return clean(p.slice(0, p.lastIndexOf('/') + 1));
}

/** Go's path.Ext. */
function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--)
    if (p[i] === '.') return p.slice(i);
  return '';
}

/**
 * sprig's path functions (runtime/template/v2/sprig/functions.go: path.* and
 * filepath.*). Pure string functions: none touches a file system. The os*
 * variants are filepath's on Linux, where ESO runs: the same as path's.
 */
export const PATH_FUNCTIONS: Record<string, Fn> = {
  base: str('base', base, 1),
  dir: str('dir', dir, 1),
  clean: str('clean', clean, 1),
  ext: str('ext', ext, 1),
  isAbs: str('isAbs', p => p.startsWith('/'), 1),
  osBase: str('osBase', base, 1),
  osDir: str('osDir', dir, 1),
  osClean: str('osClean', clean, 1),
  osExt: str('osExt', ext, 1),
  osIsAbs: str('osIsAbs', p => p.startsWith('/'), 1),
};
