import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

import { describeProblemCount, InvalidInputError } from '../../core/errors.ts';
import { findUnrecognizedFields } from '../../core/field-names.ts';
import { validateLead } from '../../core/lead-validation.ts';
import { reasonCount, scoreWithReasons } from './reasons.ts';
import { scoreLeadsWithRules } from './rule-scores.ts';
import { ScoreLeadsQuery, ScoreLeadsRequest, ScoreLeadsResponse } from './schema.ts';

/**
 * POST /v1/predict: scores a batch of leads with the active model, in request order, and with the
 * rules file beside it when one is configured.
 */
const predictRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/predict',
    {
      schema: { tags: ['scoring'], querystring: ScoreLeadsQuery, body: ScoreLeadsRequest, response: { 200: ScoreLeadsResponse } },
    },
    async (request) => {
      const model = app.models.active;
      const { columns, missingTokens } = model.preprocessor.state;

      const issues = request.body.leads.flatMap((lead, index) => validateLead(lead, columns, missingTokens, ['body', 'leads', index]));
      if (issues.length > 0) throw new InvalidInputError(describeProblemCount(issues.length), issues);

      const ruleScores = app.rules ? scoreLeadsWithRules(app.rules, request.body.leads) : undefined;
      const predictions = await scoreWithReasons(model, request.body.leads, reasonCount(request.query.reasons), request.log);
      request.log.info({ modelVersion: model.version, leads: predictions.length, rules: app.rules?.name }, 'leads scored');

      const exportColumns = model.manifest.exportColumns;
      const unrecognized = exportColumns ? findUnrecognizedFields(request.body.leads, exportColumns) : [];
      const warnings = unrecognized.length > 0 ? { unrecognizedFields: unrecognized } : {};

      if (!app.rules || !ruleScores) return { modelVersion: model.version, ...warnings, predictions };
      return {
        modelVersion: model.version,
        ...warnings,
        rulesName: app.rules.name,
        predictions: predictions.map((prediction, index) => ({ ...prediction, rules: ruleScores[index] })),
      };
    },
  );
};

export default predictRoutes;
