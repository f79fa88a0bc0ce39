import type * as tfTypes from '@tensorflow/tfjs';

import { Calibrator, logit, sigmoid } from './calibration.ts';
import type { TierSpec } from './dataset-config.ts';
import { Preprocessor } from './features.ts';
import { bundleMembers, type ModelBundle, type ModelManifest } from './model-bundle.ts';
import { loadNetwork, predictNetwork } from './models/network.ts';
import { initBackend } from './tf-backend.ts';
import { assignTier } from './tiers.ts';
import type { LeadRecord } from './values.ts';

/** The model's verdict on one lead. */
export interface LeadPrediction {
  /** Calibrated probability of winning within the close window. */
  probability: number;
  /** The probability on a 0-100 scale, rounded. */
  score: number;
  tier: string;
}

/** A loaded network with its own calibration. */
export interface LoadedMember {
  network: tfTypes.LayersModel;
  calibrator: Calibrator;
}

/**
 * A loaded model ready to score leads: transform, networks, calibration and tiers together. A
 * bundle may hold an ensemble; `network` and `calibrator` are its first member.
 */
export class LeadModel {
  private constructor(
    readonly bundle: ModelBundle,
    readonly preprocessor: Preprocessor,
    readonly members: LoadedMember[],
    readonly tiers: TierSpec[],
  ) {}

  /** Loads a bundle into memory; `tiers` overrides the tiers stored with the model. */
  static async fromBundle(bundle: ModelBundle, tiers?: TierSpec[]): Promise<LeadModel> {
    await initBackend();
    const members = await Promise.all(
      bundleMembers(bundle).map(async (member) => ({
        network: await loadNetwork(member.network),
        calibrator: new Calibrator(member.calibration),
      })),
    );
    return new LeadModel(bundle, new Preprocessor(bundle.preprocessing), members, tiers ?? bundle.manifest.tiers);
  }

  get network(): tfTypes.LayersModel {
    return this.members[0]!.network;
  }

  get calibrator(): Calibrator {
    return this.members[0]!.calibrator;
  }

  get manifest(): ModelManifest {
    return this.bundle.manifest;
  }

  get version(): string {
    return this.bundle.manifest.version;
  }

  /** Uncalibrated outputs, one per lead: for an ensemble, the sigmoid of the members' mean logit. */
  predictRaw(leads: readonly LeadRecord[]): Float32Array {
    const matrix = { values: this.preprocessor.transform(leads), rows: leads.length, columns: this.preprocessor.featureCount };
    if (this.members.length === 1) return predictNetwork(this.network, matrix);
    const logits = new Float64Array(leads.length);
    for (const member of this.members) {
      predictNetwork(member.network, matrix).forEach((raw, index) => (logits[index]! += logit(raw) / this.members.length));
    }
    return Float32Array.from(logits, sigmoid);
  }

  /**
   * Calibrated probabilities of winning within the close window, one per lead: the mean of the
   * members' calibrated probabilities.
   */
  predictProba(leads: readonly LeadRecord[]): Float64Array {
    return meanOfMembers(this.predictMemberProba(leads));
  }

  /** Predicts each member's calibrated probabilities: one array per member, in member order. */
  predictMemberProba(leads: readonly LeadRecord[]): Float64Array[] {
    const matrix = { values: this.preprocessor.transform(leads), rows: leads.length, columns: this.preprocessor.featureCount };
    return this.members.map((member) => member.calibrator.calibrateAll(predictNetwork(member.network, matrix)));
  }

  /** Scores leads in order: probability, 0-100 score and tier. */
  scoreLeads(leads: readonly LeadRecord[]): LeadPrediction[] {
    return Array.from(this.predictProba(leads), (probability) => ({
      probability: Math.round(probability * 1e6) / 1e6,
      score: Math.round(probability * 100),
      tier: assignTier(this.tiers, probability),
    }));
  }

  /** Frees the networks' tensors. */
  dispose(): void {
    for (const member of this.members) member.network.dispose();
  }
}

/** Averages the members' calibrated probabilities lead by lead, as predictProba combines them. */
export function meanOfMembers(memberProbabilities: readonly Float64Array[]): Float64Array {
  const probabilities = new Float64Array(memberProbabilities[0]?.length ?? 0);
  for (const calibrated of memberProbabilities) {
    calibrated.forEach((probability, index) => (probabilities[index]! += probability / memberProbabilities.length));
  }
  return probabilities;
}
