import { LeadModel } from '../../src/core/lead-model.ts';
import { readModelBundle } from '../../src/core/model-bundle.ts';
import { trainFixtureModel, type ModelFixture } from './model-fixture.ts';

export { X_EDUCATION_CONFIG } from './model-fixture.ts';

/** A fixture model (see trainFixtureModel) loaded into memory, ready to score and explain. */
export interface LoadedFixture extends ModelFixture {
  model: LeadModel;
}

/**
 * Trains a quick fixture model on the first `limitRows` X Education leads and loads it; `folds`
 * overrides the config's number of cross-fitted networks.
 */
export async function trainLoadedModel(type: 'logistic' | 'mlp', limitRows = 3000, folds?: number): Promise<LoadedFixture> {
  const fixture = await trainFixtureModel({ type, limitRows, folds });
  const model = await LeadModel.fromBundle(await readModelBundle(fixture.result.dir));
  return { ...fixture, model };
}
