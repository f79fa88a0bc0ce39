import { NotFittedError } from '../src/core/errors.ts';
import { quantile } from '../src/core/features.ts';
import { categoryKey, isMissing, missingTokenSet, parseNumber, type LeadRecord } from '../src/core/values.ts';

export interface NaiveBayesOptions {
  /** Columns the model reads. */
  featureColumns: string[];
  /** Feature columns binned by training quantiles; every other column is read as categories. */
  numericColumns: string[];
  missingTokens: string[];
  /**
   * Pseudo-leads added to every field value, shared between won and lost in the training won
   * rate, so that rare values shrink towards the prior. Default 1.
   */
  pseudoCount?: number;
  /** Quantile bins per numeric column; tied cut points merge, so a column may get fewer. */
  bins?: number;
}

interface FieldTable {
  column: string;
  /** Ascending cut points of a numeric column; undefined for a categorical one. */
  cuts?: number[];
  won: Map<string, number>;
  lost: Map<string, number>;
  /** Distinct values seen in training, plus one slot for values never seen. */
  valueCount: number;
}

const MISSING = '(missing)';

/**
 * A naive-Bayes lead scorer in the style of frequency-table lead scoring: for each field it counts
 * won and lost leads per value, smooths the counts with a small pseudo-count, and multiplies the
 * per-field likelihood ratios with the won/lost prior odds. Missing values are a value of their own.
 * The independence assumption double-counts correlated fields, so its probabilities are often
 * overconfident even when its ranking is good.
 */
export class NaiveBayesScorer {
  private tables: FieldTable[] | undefined;
  private wonTotal = 0;
  private lostTotal = 0;
  private readonly pseudoCount: number;
  private readonly bins: number;
  private readonly missingTokens: Set<string>;

  constructor(private readonly options: NaiveBayesOptions) {
    this.pseudoCount = options.pseudoCount ?? 1;
    this.bins = options.bins ?? 10;
    this.missingTokens = missingTokenSet(options.missingTokens);
  }

  /** Counts won and lost leads per field value; `labels[i]` is 1 when `records[i]` was won. */
  fit(records: readonly LeadRecord[], labels: ArrayLike<number>): this {
    if (records.length !== labels.length) {
      throw new RangeError(`records (${records.length}) and labels (${labels.length}) differ in length`);
    }
    const numeric = new Set(this.options.numericColumns);
    this.wonTotal = Array.from(labels).filter((label) => label === 1).length;
    this.lostTotal = records.length - this.wonTotal;
    this.tables = this.options.featureColumns.map((column) => {
      const table: FieldTable = { column, won: new Map(), lost: new Map(), valueCount: 1 };
      if (numeric.has(column)) table.cuts = this.cutPoints(records, column);
      records.forEach((record, index) => {
        const counts = labels[index] === 1 ? table.won : table.lost;
        const key = this.valueKey(table, record);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      });
      table.valueCount = new Set([...table.won.keys(), ...table.lost.keys()]).size + 1;
      return table;
    });
    return this;
  }

  /** Returns P(won) for each record. Throws NotFittedError before `fit`. */
  predictProba(records: readonly LeadRecord[]): Float64Array {
    const tables = this.tables;
    if (!tables) throw new NotFittedError('NaiveBayesScorer.predictProba was called before fit');
    const alpha = this.pseudoCount;
    const wonRate = this.wonTotal / (this.wonTotal + this.lostTotal);
    // Pseudo-counts split by the won rate make a value never seen in training neutral (ratio 1).
    // Equal pseudo-counts would push every unseen value towards the rarer class.
    const wonPseudo = alpha * wonRate;
    const lostPseudo = alpha * (1 - wonRate);
    const prior = Math.log((this.wonTotal + alpha) / (this.lostTotal + alpha));
    return Float64Array.from(records, (record) => {
      let logOdds = prior;
      for (const table of tables) {
        const key = this.valueKey(table, record);
        const won = ((table.won.get(key) ?? 0) + wonPseudo) / (this.wonTotal + wonPseudo * table.valueCount);
        const lost = ((table.lost.get(key) ?? 0) + lostPseudo) / (this.lostTotal + lostPseudo * table.valueCount);
        logOdds += Math.log(won / lost);
      }
      return 1 / (1 + Math.exp(-logOdds));
    });
  }

  private cutPoints(records: readonly LeadRecord[], column: string): number[] {
    const numbers = records
      .map((record) => (isMissing(record[column], this.missingTokens) ? null : parseNumber(record[column])))
      .filter((value): value is number => value !== null)
      .sort((a, b) => a - b);
    const cuts = new Set<number>();
    for (let bin = 1; bin < this.bins; bin += 1) cuts.add(quantile(numbers, bin / this.bins));
    return [...cuts].sort((a, b) => a - b);
  }

  private valueKey(table: FieldTable, record: LeadRecord): string {
    const raw = record[table.column];
    if (isMissing(raw, this.missingTokens)) return MISSING;
    if (!table.cuts) return categoryKey(raw);
    const value = parseNumber(raw);
    if (value === null) return MISSING;
    // Bin i contains values in (cuts[i-1], cuts[i]]; the upper end is inclusive like a quantile.
    const bin = table.cuts.findIndex((cut) => value <= cut);
    return `bin ${bin === -1 ? table.cuts.length : bin}`;
  }
}
