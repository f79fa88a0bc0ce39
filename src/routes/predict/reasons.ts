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

/**
 * Scores leads and, when `count` > 0, adds the top `count` reasons for and against each. A model
 * bundle written before reasons existed has no baseline, so it scores without reasons and with a
 * warning in the log.
 */
export function scoreWithReasons(model: LeadModel, leads: readonly LeadRecord[], count: number, log: FastifyBaseLogger): PredictionWithReasons[] {
  const predictions: PredictionWithReasons[] = model.scoreLeads(leads);
  if (count === 0) return predictions;
  if (!canExplain(model)) {
    log.warn({ modelVersion: model.version, networks: model.members.length }, 'model has no baseline.json; scoring without reasons');
    return predictions;
  }

  const explained = explainLeads(model, leads);
  explained.leads.forEach((explanation, index) => {
    const reasons = topReasons(explanation, count);
    predictions[index]!.reasons = {
      baselineProbability: round(explanation.baseline.probability),
      for: reasons.for.map(toApiReason),
      against: reasons.against.map(toApiReason),
    };
  });
  return predictions;
}

function toApiReason(entry: ColumnContribution): ApiReason {
  return { column: entry.column, value: entry.value ?? null, contribution: round(entry.probability), logOdds: round(entry.logOdds) };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
