import { unwatchFile, watchFile, type StatsListener } from 'node:fs';
import path from 'node:path';

import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { TierSpec } from '../core/dataset-config.ts';
import { ModelNotFoundError, ModelPinnedError } from '../core/errors.ts';
import { LeadModel } from '../core/lead-model.ts';
import { readModelBundle } from '../core/model-bundle.ts';
import { ACTIVE_FILE, findActiveModelDir, listModels, setActiveVersion, type RegisteredModel } from '../core/model-registry.ts';

export interface ModelRegistryOptions {
  modelsDir: string;
  /** Serves this folder instead of the active model of `modelsDir`. */
  modelDir?: string;
  /** Tier thresholds that replace the ones stored with the model. */
  tiers?: TierSpec[];
  /**
   * Milliseconds between checks of models/active.json for a version activated by another process
   * (`leadscore train` or `retrain`); 0 turns the check off. Default 2000. Unused with `modelDir`.
   */
  activeFileIntervalMs?: number;
}

const DEFAULT_ACTIVE_FILE_INTERVAL_MS = 2000;

/**
 * Holds the model that serves requests. A request takes the current model once and keeps it, and
 * a swap replaces the reference only after the new model has loaded, so requests in flight finish
 * on the model they started with.
 */
export class ModelRegistry {
  private current: LeadModel;
  private sync: Promise<void> = Promise.resolve();

  constructor(
    initial: LeadModel,
    private readonly options: ModelRegistryOptions,
  ) {
    this.current = initial;
  }

  get active(): LeadModel {
    return this.current;
  }

  list(): Promise<RegisteredModel[]> {
    return listModels(this.options.modelsDir);
  }

  /**
   * Loads a version from the models folder, makes it active on disk, then swaps it in. Rejected
   * with ModelPinnedError on a server started with one model folder.
   */
  async activate(version: string): Promise<LeadModel> {
    if (this.options.modelDir) {
      throw new ModelPinnedError(
        `this server serves the model folder '${this.options.modelDir}' given at start (--model or MODEL_DIR), so it cannot activate '${version}'; restart it without --model to serve the active model of '${this.options.modelsDir}'`,
      );
    }
    const model = (await this.list()).find((entry) => entry.version === version);
    if (!model) throw new ModelNotFoundError(`model version '${version}' is not in '${this.options.modelsDir}'`);
    const loaded = await LeadModel.fromBundle(await readModelBundle(model.dir), this.options.tiers);
    await setActiveVersion(this.options.modelsDir, version);
    // The old model is not disposed: a request that took it before the swap may still be using it,
    // and the garbage collector frees it once none does.
    this.current = loaded;
    return loaded;
  }

  /**
   * Serves the version that models/active.json names when another process changed it. Checks run
   * one after another. A version that fails to load is logged, and the current model keeps serving.
   */
  followActiveFile(log: FastifyBaseLogger): Promise<void> {
    this.sync = this.sync.then(() => this.loadActiveFromDisk(log));
    return this.sync;
  }

  private async loadActiveFromDisk(log: FastifyBaseLogger): Promise<void> {
    const previousVersion = this.current.version;
    try {
      const dir = await findActiveModelDir(this.options.modelsDir);
      if (!dir || path.basename(dir) === previousVersion) return;
      this.current = await LeadModel.fromBundle(await readModelBundle(dir), this.options.tiers);
      log.info({ modelVersion: this.current.version, previousVersion }, 'active model changed on disk; now serving it');
    } catch (error) {
      log.error({ err: error, modelVersion: previousVersion }, 'active model changed on disk but could not be loaded; still serving the previous one');
    }
  }
}

/** Loads the model to serve: `modelDir` when given, otherwise the active one of `modelsDir`. */
export async function loadServedModel(options: ModelRegistryOptions): Promise<LeadModel> {
  const dir = options.modelDir ?? (await findActiveModelDir(options.modelsDir));
  if (!dir) {
    throw new ModelNotFoundError(
      `no active model in '${path.resolve(options.modelsDir)}'; train one with 'npx leadscore train --config data/x-education.config.json' or run 'npm start'`,
    );
  }
  const bundle = await readModelBundle(dir);
  try {
    return await LeadModel.fromBundle(bundle, options.tiers);
  } catch (error) {
    throw new ModelNotFoundError(`model folder '${dir}' could not be loaded (damaged model.json or weights.bin?): ${(error as Error).message}`);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    models: ModelRegistry;
  }
}

async function modelRegistry(app: FastifyInstance, options: ModelRegistryOptions): Promise<void> {
  const initial = await loadServedModel(options);
  const registry = new ModelRegistry(initial, options);
  app.decorate('models', registry);
  app.log.info({ modelVersion: initial.version }, 'model loaded');

  const interval = options.activeFileIntervalMs ?? DEFAULT_ACTIVE_FILE_INTERVAL_MS;
  if (options.modelDir || interval === 0) return;
  // Stat polling rather than fs.watch: active.json is replaced by a rename, which inotify-style
  // watchers on the old file miss, and polling behaves the same on every platform.
  const activeFile = path.join(options.modelsDir, ACTIVE_FILE);
  const listener: StatsListener = (current, previous) => {
    if (current.mtimeMs !== previous.mtimeMs || current.ino !== previous.ino) void registry.followActiveFile(app.log);
  };
  watchFile(activeFile, { interval, persistent: false }, listener);
  app.addHook('onClose', async () => unwatchFile(activeFile, listener));
}

export default fp(modelRegistry, { name: 'model-registry' });
