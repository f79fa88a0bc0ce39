import { fitIsotonic, fitPlatt, type Calibrator } from '../src/core/calibration.ts';
import type { DatasetConfig } from '../src/core/dataset-config.ts';
import { fitNetworkWithEpoch, predictNetwork, type EpochProgress, type FeatureMatrix } from '../src/core/models/network.ts';
import type { tf } from '../src/core/tf-backend.ts';

/** One trained network with the calibration fitted on leads it did not train on. */
export interface CalibratedMember {
  network: tf.LayersModel;
  calibrator: Calibrator;
}

/** The fitted networks and their calibrated predictions on the rows each one held out. */
export interface CalibratedEnsemble {
  members: CalibratedMember[];
  /** First history row held out: the calibration slice's start, or 0 when cross-fitting. */
  heldOutStart: number;
  /** Calibrated probability of each held-out row from the network that did not train on it. */
  heldOutProbabilities: Float64Array;
  /** Rows each network trained on. */
  trainRows: number;
}

export interface CalibratedEnsembleOptions {
  settings: DatasetConfig['model'];
  calibration: DatasetConfig['calibration'];
  /** First history row of the calibration slice of a single network; unused when folds > 1. */
  calibrationStart: number;
  onEpoch?: (progress: EpochProgress) => void;
}

/** Mean of the members' calibrated probabilities for each row of `matrix`. */
export function predictEnsemble(members: readonly CalibratedMember[], matrix: FeatureMatrix): Float64Array {
  const probabilities = new Float64Array(matrix.rows);
  for (const member of members) {
    const calibrated = member.calibrator.calibrateAll(predictNetwork(member.network, matrix));
    calibrated.forEach((probability, index) => (probabilities[index]! += probability / members.length));
  }
  return probabilities;
}

/** Returns rows `start` (inclusive) to `end` (exclusive) of a matrix and its labels. */
function sliceRows(x: FeatureMatrix, y: Float32Array, start: number, end: number) {
  return {
    x: { values: x.values.subarray(start * x.columns, end * x.columns), rows: end - start, columns: x.columns },
    y: y.subarray(start, end),
  };
}

/** Returns the matrix and labels without rows `start` to `end`. */
function withoutRows(x: FeatureMatrix, y: Float32Array, start: number, end: number) {
  const values = new Float32Array((x.rows - (end - start)) * x.columns);
  values.set(x.values.subarray(0, start * x.columns));
  values.set(x.values.subarray(end * x.columns), start * x.columns);
  const labels = new Float32Array(x.rows - (end - start));
  labels.set(y.subarray(0, start));
  labels.set(y.subarray(end), start);
  return { x: { values, rows: labels.length, columns: x.columns }, y: labels };
}

/**
 * Fits the model on the history: every row before the test part, in time order.
 *
 * With `settings.folds` = 1, one network trains on the rows before `calibrationStart` and stops
 * early on the rest, the calibration slice, which then fits its calibration. With k > 1 folds the history is
 * cut into k consecutive blocks. Network i trains on every block but block i, stops early on it
 * and calibrates on it, and scores are the mean of the calibrated networks (the scheme of
 * scikit-learn's CalibratedClassifierCV with ensemble=True). Every row then trains k - 1
 * networks and calibrates one.
 */
export async function fitCalibratedEnsemble(
  x: FeatureMatrix,
  y: Float32Array,
  options: CalibratedEnsembleOptions,
): Promise<CalibratedEnsemble> {
  const folds = options.settings.folds;
  if (folds === 1) return fitSingleNetwork(x, y, options.calibrationStart, options);

  const members: CalibratedMember[] = [];
  const heldOutProbabilities = new Float64Array(x.rows);
  for (let fold = 0; fold < folds; fold += 1) {
    const start = Math.round((x.rows * fold) / folds);
    const end = Math.round((x.rows * (fold + 1)) / folds);
    const train = withoutRows(x, y, start, end);
    const heldOut = sliceRows(x, y, start, end);
    const settings = { ...options.settings, seed: options.settings.seed + fold * 1000 };
    const fitted = await fitMember(train, heldOut, { ...options, settings });
    heldOutProbabilities.set(fitted.heldOutProbabilities, start);
    members.push(fitted.member);
  }
  return { members, heldOutStart: 0, heldOutProbabilities, trainRows: x.rows - Math.round(x.rows / folds) };
}

async function fitSingleNetwork(
  x: FeatureMatrix,
  y: Float32Array,
  calibrationStart: number,
  options: CalibratedEnsembleOptions,
): Promise<CalibratedEnsemble> {
  const train = sliceRows(x, y, 0, calibrationStart);
  const slice = sliceRows(x, y, calibrationStart, x.rows);
  const fitted = await fitMember(train, slice, options);
  const result = { heldOutStart: calibrationStart, heldOutProbabilities: fitted.heldOutProbabilities };
  if (!options.settings.refit) return { ...result, members: [fitted.member], trainRows: calibrationStart };

  // Retrain on the slice too, for as many epochs as early stopping chose, and keep the first
  // network's calibration. The slice contains the most recent outcomes, which matter most when
  // the won rate drifts.
  fitted.member.network.dispose();
  const refitted = await fitNetworkWithEpoch(x, y, { settings: { ...options.settings, epochs: fitted.bestEpoch } });
  return { ...result, members: [{ network: refitted.model, calibrator: fitted.member.calibrator }], trainRows: x.rows };
}

/** Rows of a feature matrix with their 0/1 labels. */
export type Rows = { x: FeatureMatrix; y: Float32Array };

async function fitMember(train: Rows, heldOut: Rows, options: CalibratedEnsembleOptions) {
  const fitted = await fitNetworkWithEpoch(train.x, train.y, {
    settings: options.settings,
    validation: heldOut,
    onEpoch: options.onEpoch,
  });
  const raw = predictNetwork(fitted.model, heldOut.x);
  const calibrator = options.calibration === 'isotonic' ? fitIsotonic(raw, heldOut.y) : fitPlatt(raw, heldOut.y);
  return {
    member: { network: fitted.model, calibrator },
    heldOutProbabilities: calibrator.calibrateAll(raw),
    bestEpoch: fitted.bestEpoch,
  };
}

/** Stacks the rows of two matrices with the same columns, and their labels. */
export function concatRows(first: Rows, second: Rows): Rows {
  const values = new Float32Array(first.x.values.length + second.x.values.length);
  values.set(first.x.values);
  values.set(second.x.values, first.x.values.length);
  const labels = new Float32Array(first.y.length + second.y.length);
  labels.set(first.y);
  labels.set(second.y, first.y.length);
  return { x: { values, rows: labels.length, columns: first.x.columns }, y: labels };
}
