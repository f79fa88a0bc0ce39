import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { ModelNotFoundError } from './errors.ts';
import type { ClassificationMetrics } from './metrics.ts';

const REGISTRY_FILE = 'registry.json';

/** The outcome of one retrain: a challenger measured against the active model on the same leads. */
export interface RetrainDecision {
  decidedAt: string;
  challenger: string;
  /** Version that was active before the retrain; null when there was none. */
  active: string | null;
  promoted: boolean;
  reason: string;
  /** The most recent labelled leads of the new export, held out from the challenger's training. */
  heldOut: { rows: number; wins: number; cutoff: string };
  margins: { auc: number; logLoss: number };
  metrics: { challenger: ClassificationMetrics; active: ClassificationMetrics | null };
}

/** models/registry.json: every retrain decision, oldest first. */
export interface RetrainRegistry {
  decisions: RetrainDecision[];
}

/**
 * Reads models/registry.json; a missing file reads as an empty registry. Throws
 * ModelNotFoundError when the file exists but cannot be read or parsed, so that appending to a
 * damaged registry never drops its history.
 */
export async function readRetrainRegistry(modelsDir: string): Promise<RetrainRegistry> {
  const file = path.join(modelsDir, REGISTRY_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { decisions: [] };
    throw new ModelNotFoundError(`'${file}' could not be read: ${(error as Error).message}`);
  }

  let parsed: Partial<RetrainRegistry>;
  try {
    parsed = JSON.parse(text) as Partial<RetrainRegistry>;
  } catch {
    throw new ModelNotFoundError(`'${file}' is not valid JSON; repair it or move it aside before the next retrain`);
  }
  if (!Array.isArray(parsed.decisions)) {
    throw new ModelNotFoundError(`'${file}' has no "decisions" array; expected {"decisions": [...]}`);
  }
  return { decisions: parsed.decisions };
}

/**
 * Appends a decision to models/registry.json. The file is replaced by a rename, so a reader never
 * sees half a file. Two retrains writing at the same moment can still lose one decision.
 */
export async function appendRetrainDecision(modelsDir: string, decision: RetrainDecision): Promise<void> {
  const registry = await readRetrainRegistry(modelsDir);
  registry.decisions.push(decision);
  const target = path.join(modelsDir, REGISTRY_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(registry, null, 2)}\n`);
  await rename(temporary, target);
}
