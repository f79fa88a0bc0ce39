import { DateParser, formatDay, parseBoolean, parseIsoDay } from './cell-values.ts';
import { DealOutcome } from './deal-label.ts';
import type { RejectedCell } from './import-report.ts';
import type { LabelFromDates } from './import-settings.ts';
import { MissingTokens } from './missing-tokens.ts';
import { requireColumn, type WonDealsTable } from './won-deals.ts';

/** Label source: a 0/1 column, or deal dates and outcomes. */
export type LabelPlan =
  | { mode: 'column'; column: string; positiveValues: string[]; negativeValues?: string[] | undefined }
  | { mode: 'dates'; rules: LabelFromDates; leadKeyColumn?: string | undefined; wonDeals?: WonDealsTable | undefined };

/** Label facts of one row before the as-of date is known; days are whole days since 1970-01-01. */
export interface PendingLabel {
  createdDay: number;
  outcome: DealOutcome;
  closedDay: number;
  /** 0 or 1 when the label comes straight from a column; -1 when dates decide it later. */
  fixedLabel: number;
}

export type LabelReadResult = { issues: RejectedCell[]; pending?: PendingLabel };

const lower = (values: readonly string[]) => new Set(values.map((value) => value.trim().toLowerCase()));

/** Reads the label-related cells of each row and rejects rows whose label cannot be trusted. */
export class LabelReader {
  readonly columns: string[];
  /** Keys of the won-deals file that matched a lead row read so far, rejected or not. */
  readonly matchedWonKeys = new Set<string>();
  /**
   * Outcome values read as open because the config lists no openValues, with their row counts. A
   * misspelt won or lost value lands here too, so the import report lists them.
   */
  readonly unlistedOutcomes = new Map<string, number>();
  readonly #index: Record<string, number> = {};
  readonly #won: Set<string>;
  readonly #lost: Set<string>;
  readonly #open: Set<string> | undefined;
  readonly #createdFrom: number;
  readonly #createdBefore: number;

  constructor(
    readonly plan: LabelPlan,
    header: string[],
    filePath: string,
    readonly missing: MissingTokens,
    readonly dates: DateParser,
  ) {
    const rules = plan.mode === 'dates' ? plan.rules : undefined;
    const keyColumn = plan.mode === 'dates' && plan.wonDeals ? plan.leadKeyColumn : undefined;
    this.columns = (
      plan.mode === 'column'
        ? [plan.column]
        : [rules!.createdColumn, rules!.outcomeColumn, rules!.isClosedColumn, rules!.closedColumn, keyColumn]
    ).filter((column): column is string => column !== undefined);
    for (const column of this.columns) this.#index[column] = requireColumn(header, column, filePath);

    this.#won = lower(plan.mode === 'column' ? plan.positiveValues : rules!.wonValues);
    this.#lost = lower(plan.mode === 'column' ? (plan.negativeValues ?? []) : rules!.lostValues);
    const open = plan.mode === 'column' ? undefined : rules!.openValues;
    this.#open = open ? lower(open) : undefined;
    this.#createdFrom = rules?.createdFrom ? parseIsoDay(rules.createdFrom) : Number.NEGATIVE_INFINITY;
    this.#createdBefore = rules?.createdBefore ? parseIsoDay(rules.createdBefore) : Number.POSITIVE_INFINITY;
  }

  read(fields: string[], row: number): LabelReadResult {
    return this.plan.mode === 'column' ? this.#readColumnLabel(this.plan, fields, row) : this.#readDates(this.plan.rules, fields, row);
  }

  #cell(fields: string[], column: string): string {
    return fields[this.#index[column]!] ?? '';
  }

  #readColumnLabel(plan: Extract<LabelPlan, { mode: 'column' }>, fields: string[], row: number): LabelReadResult {
    const value = this.#cell(fields, plan.column);
    if (this.missing.isMissing(value)) {
      return reject(row, plan.column, value, 'missing-label', `row ${row} column '${plan.column}': the label is missing`);
    }
    const normalized = value.trim().toLowerCase();
    const isWon = this.#won.has(normalized);
    if (!isWon && this.#lost.size > 0 && !this.#lost.has(normalized)) {
      const allowed = [...(plan.positiveValues ?? []), ...(plan.negativeValues ?? [])].join(', ');
      return reject(row, plan.column, value, 'unknown-label', `row ${row} column '${plan.column}': '${value}' is not one of ${allowed}`);
    }
    const outcome = isWon ? DealOutcome.won : DealOutcome.lost;
    return { issues: [], pending: { createdDay: Number.NaN, outcome, closedDay: Number.NaN, fixedLabel: isWon ? 1 : 0 } };
  }

  #readDates(rules: LabelFromDates, fields: string[], row: number): LabelReadResult {
    if (this.plan.mode === 'dates' && this.plan.wonDeals) {
      // Counted before any rejection, so the report's unmatched keys are wins without any lead row.
      const key = this.#cell(fields, this.plan.leadKeyColumn!).trim();
      if (this.plan.wonDeals.byKey.has(key)) this.matchedWonKeys.add(key);
    }
    const created = this.#readDay(fields, rules.createdColumn, row, 'missing-created-date');
    if ('issue' in created) return { issues: [created.issue] };
    const createdDay = created.day!;
    if (createdDay < this.#createdFrom || createdDay >= this.#createdBefore) {
      const range = `${rules.createdFrom ?? 'any date'} to before ${rules.createdBefore ?? 'any date'}`;
      const message = `row ${row} column '${rules.createdColumn}': created outside the configured range ${range}`;
      return reject(row, rules.createdColumn, this.#cell(fields, rules.createdColumn), 'created-outside-range', message);
    }

    const outcome = this.#readOutcome(rules, fields, row);
    if ('issue' in outcome) return { issues: [outcome.issue] };

    let closedDay = outcome.wonDay ?? Number.NaN;
    if (rules.closedColumn && outcome.wonDay === undefined) {
      const closed = this.#readDay(fields, rules.closedColumn, row, 'missing-close-date');
      const required = outcome.outcome === DealOutcome.won;
      if ('issue' in closed && (required || closed.issue.reason !== 'missing-close-date')) return { issues: [closed.issue] };
      closedDay = 'day' in closed ? (closed.day ?? Number.NaN) : Number.NaN;
    }

    if (outcome.outcome !== DealOutcome.open && closedDay < createdDay) {
      const won = outcome.outcome === DealOutcome.won;
      const column = rules.wonDeals?.wonDateColumn ?? rules.closedColumn!;
      const message = `row ${row}: the deal ${won ? 'was won' : 'closed'} ${createdDay - closedDay} days before the lead was created`;
      return reject(row, column, won && rules.wonDeals ? formatDay(closedDay) : this.#cell(fields, column), won ? 'won-before-created' : 'closed-before-created', message);
    }
    return { issues: [], pending: { createdDay, outcome: outcome.outcome, closedDay, fixedLabel: -1 } };
  }

  #readDay(fields: string[], column: string, row: number, missingReason: RejectedCell['reason']): { day?: number } | { issue: RejectedCell } {
    const value = this.#cell(fields, column);
    if (this.missing.isMissing(value)) {
      return { issue: cellIssue(row, column, value, missingReason, `row ${row} column '${column}': the date is missing`) };
    }
    const day = this.dates.parseDay(value);
    if (day === undefined) {
      const message = `row ${row} column '${column}': '${value}' is not a date; expected ${this.dates.formats.join(' or ')} (set dateFormats)`;
      return { issue: cellIssue(row, column, value, 'invalid-date', message) };
    }
    return { day };
  }

  #readOutcome(rules: LabelFromDates, fields: string[], row: number): { outcome: DealOutcome; wonDay?: number } | { issue: RejectedCell } {
    if (this.plan.mode === 'dates' && this.plan.wonDeals) {
      const key = this.#cell(fields, this.plan.leadKeyColumn!).trim();
      const deal = this.plan.wonDeals.byKey.get(key);
      if (deal === undefined) return { outcome: DealOutcome.open };
      if ('rejection' in deal) {
        const message = `row ${row}: its won deal (won-deals file row ${deal.rejection.row}) has no valid won date`;
        return { issue: cellIssue(row, deal.rejection.column, deal.rejection.value, 'invalid-won-deal', message) };
      }
      return { outcome: DealOutcome.won, wonDay: deal.wonDay };
    }

    const column = rules.outcomeColumn!;
    const value = this.#cell(fields, column).trim().toLowerCase();
    if (this.#won.has(value)) return { outcome: DealOutcome.won };
    if (this.#lost.has(value)) return { outcome: DealOutcome.lost };
    if (!this.#open && !this.missing.isMissing(value)) {
      const original = this.#cell(fields, column).trim();
      this.unlistedOutcomes.set(original, (this.unlistedOutcomes.get(original) ?? 0) + 1);
    }
    if (this.#open && !this.#open.has(value) && !this.missing.isMissing(value)) {
      const allowed = [...rules.wonValues, ...rules.lostValues, ...(rules.openValues ?? [])].join(', ');
      const message = `row ${row} column '${column}': '${this.#cell(fields, column)}' is not a known outcome; expected one of ${allowed}`;
      return { issue: cellIssue(row, column, this.#cell(fields, column), 'unknown-outcome', message) };
    }
    return { outcome: this.#closedFlag(rules, fields) ? DealOutcome.lost : DealOutcome.open };
  }

  #closedFlag(rules: LabelFromDates, fields: string[]): boolean {
    if (!rules.isClosedColumn) return false;
    return parseBoolean(this.#cell(fields, rules.isClosedColumn)) === true;
  }
}

function cellIssue(row: number, column: string, value: string, reason: RejectedCell['reason'], message: string): RejectedCell {
  return { row, column, value, reason, message };
}

function reject(row: number, column: string, value: string, reason: RejectedCell['reason'], message: string): LabelReadResult {
  return { issues: [cellIssue(row, column, value, reason, message)] };
}
