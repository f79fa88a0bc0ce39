import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ModelNotFoundError } from './errors.ts';
import type { ModelManifest } from './model-bundle.ts';

/** File in the models folder that names the active version. */
export const ACTIVE_FILE = 'active.json';

/** One trained model found in the models folder. */
export interface RegisteredModel {
  version: string;
  dir: string;
  manifest: ModelManifest;
  active: boolean;
}

/**
 * Lists the complete model bundles (those with a manifest.json) in `modelsDir`, newest first.
 * A missing folder lists as empty.
 */
export async function listModels(modelsDir: string): Promise<RegisteredModel[]> {
  let entries: string[];
  try {
    entries = await readdir(modelsDir);
  } catch {
    return [];
  }
  const active = await readActiveVersion(modelsDir).catch(() => undefined);
  const models: RegisteredModel[] = [];
  for (const entry of entries) {
    const dir = path.join(modelsDir, entry);
    try {
      if (!(await stat(dir)).isDirectory()) continue;
      const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
      models.push({ version: manifest.version, dir, manifest, active: manifest.version === active });
    } catch {
      // No manifest: an unfinished or foreign folder, not a model.
    }
  }
  return models.sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
}

/**
 * Returns the version named in models/active.json, or undefined when the file does not exist.
 * Throws ModelNotFoundError when the file exists but is unreadable, so that a damaged registry is
 * never mistaken for an empty one.
 */
export async function readActiveVersion(modelsDir: string): Promise<string | undefined> {
  const file = path.join(modelsDir, ACTIVE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelNotFoundError(`'${file}' could not be read: ${(error as Error).message}`);
  }

  let parsed: { version?: unknown };
  try {
    parsed = JSON.parse(text) as { version?: unknown };
  } catch {
    throw new ModelNotFoundError(`'${file}' is not valid JSON; delete it and activate a model with 'leadscore train' or the API`);
  }
  if (typeof parsed.version !== 'string') {
    throw new ModelNotFoundError(`'${file}' has no "version" string; expected {"version": "<model version>"}`);
  }
  return parsed.version;
}

/**
 * Marks a version as the active model. The file is replaced by a rename, so a reader sees the
 * old or the new version and never a half-written file.
 */
export async function setActiveVersion(modelsDir: string, version: string): Promise<void> {
  const models = await listModels(modelsDir);
  if (!models.some((model) => model.version === version)) {
    const known = models.map((model) => model.version).join(', ') || 'none';
    throw new ModelNotFoundError(`model version '${version}' is not in '${modelsDir}'; available: ${known}`);
  }
  const target = path.join(modelsDir, ACTIVE_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ version, activatedAt: new Date().toISOString() }, null, 2)}\n`);
  await rename(temporary, target);
}

/**
 * Returns the folder of the active model, or undefined when no model has been activated. Throws
 * ModelNotFoundError when active.json names a version whose folder is missing or incomplete.
 */
export async function findActiveModelDir(modelsDir: string): Promise<string | undefined> {
  const active = await readActiveVersion(modelsDir);
  if (active === undefined) return undefined;
  const models = await listModels(modelsDir);
  const model = models.find((entry) => entry.version === active);
  if (!model) {
    const known = models.map((entry) => entry.version).join(', ') || 'none';
    throw new ModelNotFoundError(`'${path.join(modelsDir, ACTIVE_FILE)}' names model '${active}', but '${modelsDir}' has no complete folder for it; available: ${known}`);
  }
  return model.dir;
}
