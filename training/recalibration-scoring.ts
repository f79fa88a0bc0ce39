import type { LeadTable } from '../src/core/import/import-leads.ts';
import { LeadModel } from '../src/core/lead-model.ts';
import type { ModelBundle } from '../src/core/model-bundle.ts';
import { predictNetwork } from '../src/core/models/network.ts';
import { recordsForRows } from './lead-table.ts';

/** A model's outputs for a list of leads. */
export interface MemberScores {
  /** Uncalibrated output of each ensemble member, one array per member, one entry per lead. */
  raw: Float32Array[];
  /** The served probability of each lead. */
  probabilities: Float64Array;
}

const SCORE_BATCH = 20_000;

/**
 * Scores table rows with a bundle: each member's raw network output, and the probability the
 * model serves. The leads are transformed in batches, so memory stays flat on large exports.
 */
export async function scoreMembers(bundle: ModelBundle, table: LeadTable, rows: Int32Array): Promise<MemberScores> {
  const model = await LeadModel.fromBundle(bundle);
  try {
    const raw = model.members.map(() => new Float32Array(rows.length));
    const probabilities = new Float64Array(rows.length);
    for (let start = 0; start < rows.length; start += SCORE_BATCH) {
      const end = Math.min(rows.length, start + SCORE_BATCH);
      const records = recordsForRows(table, rows, start, end);
      const matrix = { values: model.preprocessor.transform(records), rows: records.length, columns: model.preprocessor.featureCount };
      model.members.forEach((member, index) => raw[index]!.set(predictNetwork(member.network, matrix), start));
      probabilities.set(model.predictProba(records), start);
    }
    return { raw, probabilities };
  } finally {
    model.dispose();
  }
}

/** Returns the probability a bundle serves for each of the table rows, in order. */
export async function predictBundle(bundle: ModelBundle, table: LeadTable, rows: Int32Array): Promise<Float64Array> {
  const model = await LeadModel.fromBundle(bundle);
  try {
    const probabilities = new Float64Array(rows.length);
    for (let start = 0; start < rows.length; start += SCORE_BATCH) {
      const end = Math.min(rows.length, start + SCORE_BATCH);
      probabilities.set(model.predictProba(recordsForRows(table, rows, start, end)), start);
    }
    return probabilities;
  } finally {
    model.dispose();
  }
}
