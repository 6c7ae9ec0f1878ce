// Pipeline spec files on disk: the YAML (or JSON) files `ferry pipelines apply -f` reads, one spec each,
// and the git commit they come from when they sit in a clean git work tree.
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from './errors.js';

/** One spec file: where it is, its pipeline name and the spec as written. */
export interface SpecFile {
  path: string;
  name: string;
  spec: Record<string, unknown>;
}

const specExtensions = new Set(['.yaml', '.yml', '.json']);

/** The spec files a `-f` names: the file itself, or every .yaml/.yml/.json directly in the folder. */
export async function readSpecFiles(target: string): Promise<SpecFile[]> {
  const info = await stat(target).catch(() => {
    throw new UsageError(`-f ${target}: no such file or folder`);
  });
  const paths = info.isDirectory()
    ? (await readdir(target))
        .filter((f) => specExtensions.has(extname(f).toLowerCase()))
        .sort()
        .map((f) => join(target, f))
    : [target];
  if (paths.length === 0)
    throw new UsageError(`-f ${target}: no .yaml, .yml or .json spec files in the folder`);
  const files = await Promise.all(paths.map(readSpecFile));
  const seen = new Map<string, string>();
  for (const f of files) {
    const other = seen.get(f.name);
    if (other) throw new UsageError(`${f.path}: pipeline "${f.name}" is also defined in ${other}`);
    seen.set(f.name, f.path);
  }
  return files;
}

async function readSpecFile(path: string): Promise<SpecFile> {
  // Loaded when needed: most commands read no YAML, and every command pays for what it imports at start.
  const { parse, YAMLParseError } = await import('yaml');
  let spec: unknown;
  try {
    spec = parse(await readFile(path, 'utf8'));
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const at = err.linePos?.[0];
      throw new UsageError(`${path}${at ? `:${at.line}:${at.col}` : ''}: not valid YAML (${err.code})`);
    }
    throw err;
  }
  if (!spec || typeof spec !== 'object' || Array.isArray(spec))
    throw new UsageError(
      `${path}: must hold one pipeline spec (a mapping with name, model, dataset, task, …)`,
    );
  const name = (spec as { name?: unknown }).name;
  if (typeof name !== 'string' || name === '')
    throw new UsageError(
      `${path}: name: required (the pipeline's name, e.g. ${basename(path, extname(path))})`,
    );
  return { path, name, spec: spec as Record<string, unknown> };
}

const run = promisify(execFile);

/**
 * The commit a file comes from: HEAD of its git work tree when the file is committed and unchanged
 * there, else undefined (a spec applied from uncommitted edits records no commit that would lie).
 */
export async function sourceOf(path: string): Promise<{ commit: string; path: string } | undefined> {
  const cwd = dirname(path);
  try {
    const root = (await run('git', ['rev-parse', '--show-toplevel'], { cwd })).stdout.trim();
    const rel = relative(root, resolve(path)).split('\\').join('/');
    const dirty = (await run('git', ['status', '--porcelain', '--', rel], { cwd: root })).stdout.trim();
    if (dirty) return undefined;
    const commit = (await run('git', ['rev-parse', 'HEAD'], { cwd: root })).stdout.trim();
    return { commit, path: rel };
  } catch {
    return undefined;
  }
}
