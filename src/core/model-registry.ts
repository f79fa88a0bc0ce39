import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ModelNotFoundError } from './errors.ts';
import type { ModelManifest } from './model-bundle.ts';

const ACTIVE_FILE = 'active.json';

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
  const active = await readActiveVersion(modelsDir);
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

/** Returns the version named in models/active.json, or undefined when none is set. */
export async function readActiveVersion(modelsDir: string): Promise<string | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path.join(modelsDir, ACTIVE_FILE), 'utf8')) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : undefined;
  } catch {
    return undefined;
  }
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

/** Returns the folder of the active model, or undefined when no usable active model exists. */
export async function findActiveModelDir(modelsDir: string): Promise<string | undefined> {
  const models = await listModels(modelsDir);
  return models.find((model) => model.active)?.dir;
}
