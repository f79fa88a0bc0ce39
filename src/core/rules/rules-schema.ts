import { z } from 'zod';

/**
 * A test on one value: exact text (`equals`), one of a list (`in`), a regular expression (`matches`),
 * or a numeric range (`atLeast`, `atMost`, both inclusive). Text comparisons ignore case and
 * surrounding spaces, and `matches` is compiled with the `i` flag.
 */
export const ValueCondition = z
  .strictObject({
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    in: z.array(z.union([z.string(), z.number()])).min(1).optional(),
    matches: z.string().min(1).optional(),
    atLeast: z.number().finite().optional(),
    atMost: z.number().finite().optional(),
  })
  .superRefine((condition, context) => {
    const forms = [
      condition.equals !== undefined,
      condition.in !== undefined,
      condition.matches !== undefined,
      condition.atLeast !== undefined || condition.atMost !== undefined,
    ].filter(Boolean).length;
    if (forms !== 1) {
      context.addIssue({
        code: 'custom',
        message: 'a condition needs exactly one of equals, in, matches, or a range (atLeast and/or atMost)',
      });
    }
    if (condition.matches !== undefined) {
      try {
        new RegExp(condition.matches, 'i');
      } catch (error) {
        context.addIssue({
          code: 'custom',
          path: ['matches'],
          message: `not a valid regular expression (${(error as Error).message})`,
        });
      }
    }
    if (condition.atLeast !== undefined && condition.atMost !== undefined && condition.atLeast > condition.atMost) {
      context.addIssue({ code: 'custom', path: ['atLeast'], message: 'atLeast must not exceed atMost' });
    }
  });
export type ValueCondition = z.infer<typeof ValueCondition>;

const RuleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "a rule id is lower-case letters, digits and hyphens, e.g. 'pricing-page'");

const ScoreGroup = z.enum(['fit', 'engagement']);
export type ScoreGroup = z.infer<typeof ScoreGroup>;

const Points = z.number().finite().refine((points) => points !== 0, { message: 'points must not be 0' });
const Cap = z.number().finite().positive();

const RuleBase = {
  id: RuleId,
  group: ScoreGroup,
  description: z.string().optional(),
};

/** Fixed points when a column's value meets a condition (industry, job role, lead source, Do Not Email). */
const ColumnValueRule = z.strictObject({
  ...RuleBase,
  kind: z.literal('column-value'),
  column: z.string().min(1),
  when: ValueCondition,
  points: Points,
});

/** Points for every full `unitSize` of a numeric column (visits, seconds on site), limited by `cap`. */
const ColumnCountRule = z.strictObject({
  ...RuleBase,
  kind: z.literal('column-count'),
  column: z.string().min(1),
  pointsPerUnit: Points,
  unitSize: z.number().finite().positive().default(1),
  cap: Cap,
});

/** Conditions an activity record must meet, all of them. */
export const ActivityMatcher = z
  .strictObject({
    type: ValueCondition.optional(),
    page: ValueCondition.optional(),
    asset: ValueCondition.optional(),
  })
  .refine((matcher) => matcher.type !== undefined || matcher.page !== undefined || matcher.asset !== undefined, {
    message: 'an activity matcher needs at least one of type, page or asset',
  });
export type ActivityMatcher = z.infer<typeof ActivityMatcher>;

/** Points per matching dated activity, decayed by age unless `decays` is false, limited by `cap`. */
const ActivityRule = z.strictObject({
  ...RuleBase,
  kind: z.literal('activity'),
  activity: ActivityMatcher,
  pointsPerOccurrence: Points,
  cap: Cap,
  decays: z.boolean().default(true),
});

export const ScoringRule = z.discriminatedUnion('kind', [ColumnValueRule, ColumnCountRule, ActivityRule]);
export type ScoringRule = z.infer<typeof ScoringRule>;

/** Behaviour that never scores: matching activities, or column values read as missing. */
const Exclusion = z
  .strictObject({
    id: RuleId,
    description: z.string().optional(),
    activity: ActivityMatcher.optional(),
    column: z.string().min(1).optional(),
    when: ValueCondition.optional(),
  })
  .superRefine((exclusion, context) => {
    const byActivity = exclusion.activity !== undefined;
    const byColumn = exclusion.column !== undefined || exclusion.when !== undefined;
    if (byActivity === byColumn) {
      context.addIssue({ code: 'custom', message: 'an exclusion needs either activity, or column with when' });
    } else if (byColumn && (exclusion.column === undefined || exclusion.when === undefined)) {
      context.addIssue({ code: 'custom', message: 'column and when go together in an exclusion' });
    }
  });
export type Exclusion = z.infer<typeof Exclusion>;

/**
 * Decay of dated activity points: halving every `halfLifeDays`, or losing `percentPerPeriod` percent
 * at the end of every full `periodDays`.
 */
const Decay = z
  .strictObject({
    halfLifeDays: z.number().finite().positive().optional(),
    percentPerPeriod: z.number().gt(0).lt(100).optional(),
    periodDays: z.number().finite().positive().optional(),
  })
  .superRefine((decay, context) => {
    const halfLife = decay.halfLifeDays !== undefined;
    const stepped = decay.percentPerPeriod !== undefined || decay.periodDays !== undefined;
    if (halfLife === stepped) {
      context.addIssue({
        code: 'custom',
        message: 'decay needs either halfLifeDays, or percentPerPeriod with periodDays',
      });
    } else if (stepped && (decay.percentPerPeriod === undefined || decay.periodDays === undefined)) {
      context.addIssue({ code: 'custom', message: 'percentPerPeriod and periodDays go together' });
    }
  });
export type Decay = z.infer<typeof Decay>;

/** A rules file: scoring rules in two groups, exclusions, caps, scoring period and decay. */
export const RulesFile = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  rules: z.array(ScoringRule).min(1),
  exclusions: z.array(Exclusion).default([]),
  groupCaps: z.strictObject({ fit: Cap.optional(), engagement: Cap.optional() }).default({}),
  totalCap: Cap.optional(),
  totalFloor: z.number().finite().optional(),
  scoringPeriodDays: z.number().finite().positive().optional(),
  decay: Decay.optional(),
});
export type RulesFile = z.infer<typeof RulesFile>;
