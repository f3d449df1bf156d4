import { lstat, readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A file of an agent directory about to be uploaded, with its repo path (always `/`-separated). */
export interface LocalFile {
  path: string;
  absolutePath: string;
  size: number;
}

/** Folders never uploaded: version-control metadata. */
const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn']);

/**
 * Lists the regular files under `dir`. A symbolic link is refused rather than followed or dropped: following
 * could upload files from outside the directory, dropping would publish an agent that differs from the one tested.
 */
export const listAgentFiles = async (dir: string): Promise<LocalFile[]> => {
  const root = resolve(dir);
  const files: LocalFile[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const absolutePath = join(folder, entry.name);
      const path = relative(root, absolutePath).split(sep).join('/');
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(absolutePath);
      } else if (entry.isFile()) {
        files.push({ path, absolutePath, size: (await lstat(absolutePath)).size });
      } else {
        throw new Error(`${path} is not a regular file (symbolic links and devices are not uploaded)`);
      }
    }
  };
  await walk(root);
  return files.sort((a, b) => a.path.localeCompare(b.path));
};

/** Where a repo file lands under `destDir`; refuses paths that would escape it. */
export const destinationOf = (destDir: string, repoPath: string): string => {
  const root = resolve(destDir);
  const target = resolve(root, ...repoPath.split('/'));
  const inside = relative(root, target);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) throw new Error(`refusing to write ${repoPath} outside ${root}`);
  return target;
};
