import { setImmediate } from 'node:timers/promises';

import type { FastifyBaseLogger } from 'fastify';

import { canExplain, explainLeads, topReasons, type ColumnContribution } from '../../core/explain/lead-reasons.ts';
import type { LeadModel, LeadPrediction } from '../../core/lead-model.ts';
import type { LeadRecord } from '../../core/values.ts';
import { DEFAULT_REASONS } from './schema.ts';

/** A prediction as the API returns it, with reasons when they were requested. */
export interface PredictionWithReasons extends LeadPrediction {
  reasons?: {
    baselineProbability: number;
    for: ApiReason[];
    against: ApiReason[];
  };
}

interface ApiReason {
  column: string;
  value: string | number | boolean | null;
  contribution: number;
  logOdds: number;
}

/** Turns the `reasons` query value (already validated) into a count of reasons per side. */
export function reasonCount(query: string): number {
  if (query === 'true') return DEFAULT_REASONS;
  if (query === 'false') return 0;
  return Number(query);
}

// Leads explained between two yields to the event loop: about 0.1-0.3 s of attribution for the
// shipped three-network model, so a large batch does not hold up health checks and other requests.
const LEADS_PER_SLICE = 50;

/**
 * Scores leads and, when `count` > 0, adds the top `count` reasons for and against each. A model
 * bundle written before reasons existed has no baseline, so it scores without reasons and with a
 * warning in the log. Attribution runs in slices of leads with a yield to the event loop between
 * them, because 1,000 leads take seconds.
 */
export async function scoreWithReasons(
  model: LeadModel,
  leads: readonly LeadRecord[],
  count: number,
  log: FastifyBaseLogger,
): Promise<PredictionWithReasons[]> {
  const predictions: PredictionWithReasons[] = model.scoreLeads(leads);
  if (count === 0) return predictions;
  if (!canExplain(model)) {
    log.warn({ modelVersion: model.version, networks: model.members.length }, 'model has no baseline.json; scoring without reasons');
    return predictions;
  }

  for (let start = 0; start < leads.length; start += LEADS_PER_SLICE) {
    if (start > 0) await setImmediate();
    const explained = explainLeads(model, leads.slice(start, start + LEADS_PER_SLICE));
    explained.leads.forEach((explanation, offset) => {
      const reasons = topReasons(explanation, count);
      predictions[start + offset]!.reasons = {
        baselineProbability: round(explanation.baseline.probability),
        for: reasons.for.map(toApiReason),
        against: reasons.against.map(toApiReason),
      };
    });
  }
  return predictions;
}

function toApiReason(entry: ColumnContribution): ApiReason {
  return { column: entry.column, value: entry.value ?? null, contribution: round(entry.probability), logOdds: round(entry.logOdds) };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
