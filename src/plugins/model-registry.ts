import path from 'node:path';

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { TierSpec } from '../core/dataset-config.ts';
import { ModelNotFoundError } from '../core/errors.ts';
import { LeadModel } from '../core/lead-model.ts';
import { readModelBundle } from '../core/model-bundle.ts';
import { findActiveModelDir, listModels, setActiveVersion, type RegisteredModel } from '../core/model-registry.ts';

export interface ModelRegistryOptions {
  modelsDir: string;
  /** Serves this folder instead of the active model of `modelsDir`. */
  modelDir?: string;
  /** Tier thresholds that replace the ones stored with the model. */
  tiers?: TierSpec[];
}

/**
 * Holds the model that serves requests. A request takes the current model once and keeps it, and
 * a swap replaces the reference only after the new model has loaded, so requests in flight finish
 * on the model they started with.
 */
export class ModelRegistry {
  private current: LeadModel;

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

  /** Loads a version from the models folder, makes it active on disk, then swaps it in. */
  async activate(version: string): Promise<LeadModel> {
    const model = (await this.list()).find((entry) => entry.version === version);
    if (!model) throw new ModelNotFoundError(`model version '${version}' is not in '${this.options.modelsDir}'`);
    const loaded = await LeadModel.fromBundle(await readModelBundle(model.dir), this.options.tiers);
    await setActiveVersion(this.options.modelsDir, version);
    // The old model is not disposed: a request that took it before the swap may still be using it,
    // and the garbage collector frees it once none does.
    this.current = loaded;
    return loaded;
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
  app.decorate('models', new ModelRegistry(initial, options));
  app.log.info({ modelVersion: initial.version }, 'model loaded');
}

export default fp(modelRegistry, { name: 'model-registry' });
