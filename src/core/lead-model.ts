import type * as tfTypes from '@tensorflow/tfjs';

import { Calibrator } from './calibration.ts';
import type { TierSpec } from './dataset-config.ts';
import { Preprocessor } from './features.ts';
import type { ModelBundle, ModelManifest } from './model-bundle.ts';
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

/** A loaded model ready to score leads: transform, network, calibration and tiers together. */
export class LeadModel {
  private constructor(
    readonly bundle: ModelBundle,
    readonly preprocessor: Preprocessor,
    readonly network: tfTypes.LayersModel,
    readonly calibrator: Calibrator,
    readonly tiers: TierSpec[],
  ) {}

  /** Loads a bundle into memory; `tiers` overrides the tiers stored with the model. */
  static async fromBundle(bundle: ModelBundle, tiers?: TierSpec[]): Promise<LeadModel> {
    await initBackend();
    const network = await loadNetwork(bundle.network);
    return new LeadModel(
      bundle,
      new Preprocessor(bundle.preprocessing),
      network,
      new Calibrator(bundle.calibration),
      tiers ?? bundle.manifest.tiers,
    );
  }

  get manifest(): ModelManifest {
    return this.bundle.manifest;
  }

  get version(): string {
    return this.bundle.manifest.version;
  }

  /** Uncalibrated network outputs, one per lead. */
  predictRaw(leads: readonly LeadRecord[]): Float32Array {
    const values = this.preprocessor.transform(leads);
    return predictNetwork(this.network, { values, rows: leads.length, columns: this.preprocessor.featureCount });
  }

  /** Calibrated probabilities of winning within the close window, one per lead. */
  predictProba(leads: readonly LeadRecord[]): Float64Array {
    return this.calibrator.calibrateAll(this.predictRaw(leads));
  }

  /** Scores leads in order: probability, 0-100 score and tier. */
  scoreLeads(leads: readonly LeadRecord[]): LeadPrediction[] {
    return Array.from(this.predictProba(leads), (probability) => ({
      probability: Math.round(probability * 1e6) / 1e6,
      score: Math.round(probability * 100),
      tier: assignTier(this.tiers, probability),
    }));
  }

  /** Frees the network's tensors. */
  dispose(): void {
    this.network.dispose();
  }
}
