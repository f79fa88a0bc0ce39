import { z } from 'zod';

import { SUPPORTED_ENCODINGS } from './csv-encoding.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** Decoding and field splitting of the CSV export. */
export const CsvSettings = z
  .strictObject({
    /** "auto" detects: byte order mark, then UTF-8 validity, then `fallbackEncoding` or a heuristic. */
    encoding: z.enum(['auto', ...SUPPORTED_ENCODINGS]).default('auto'),
    /** Encoding for files that are neither UTF-8 nor marked; by default Shift_JIS or Windows-1252 is guessed. */
    fallbackEncoding: z.enum(SUPPORTED_ENCODINGS).optional(),
    /** "auto" picks the most frequent of comma, semicolon and tab in the header line. */
    delimiter: z.enum(['auto', ',', ';', '\t']).default('auto'),
  })
  .prefault({});
export type CsvSettings = z.infer<typeof CsvSettings>;

/** A separate file of won deals, joined to the leads by a key (as Olist ships its closed deals). */
export const WonDealsFile = z.strictObject({
  /** CSV path, relative to the config file. */
  source: z.string().min(1),
  /** Column of the won-deals file that contains the lead's key. */
  keyColumn: z.string().min(1),
  /** Column of the leads file with the same key; the config's `idColumn` by default. */
  leadKeyColumn: z.string().min(1).optional(),
  wonDateColumn: z.string().min(1),
});
export type WonDealsFile = z.infer<typeof WonDealsFile>;

/**
 * Label derived from deal dates: won within `closeWindowDays` of creation is 1, lost or not won
 * once the window has passed is 0, open and younger than the window is censored.
 */
export const LabelFromDates = z
  .strictObject({
    createdColumn: z.string().min(1),
    /** Column whose value is won, lost or open (for example "Deal Stage"), compared ignoring case. */
    outcomeColumn: z.string().min(1).optional(),
    wonValues: z.array(z.string()).default([]),
    lostValues: z.array(z.string()).default([]),
    /** When set, an outcome outside won, lost and open values rejects the row; otherwise it counts as open. */
    openValues: z.array(z.string()).optional(),
    /** Boolean column (such as Salesforce "IsClosed") that turns a closed deal that is not won into lost. */
    isClosedColumn: z.string().min(1).optional(),
    /** Date the deal was won or lost. */
    closedColumn: z.string().min(1).optional(),
    wonDeals: WonDealsFile.optional(),
    closeWindowDays: z.number().int().positive().default(90),
    /** Date of the export; by default the latest valid date seen in it. */
    asOf: isoDate.optional(),
    /** Tried in order; see DateParser for the pattern letters. */
    dateFormats: z.array(z.string().min(1)).min(1).default(['ISO']),
    /** Leads created before this date are rejected, for periods whose outcomes were not recorded. */
    createdFrom: isoDate.optional(),
    /** Leads created on or after this date are rejected. */
    createdBefore: isoDate.optional(),
  })
  .superRefine((label, context) => {
    const hasOutcome = label.outcomeColumn !== undefined;
    if (hasOutcome === (label.wonDeals !== undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['outcomeColumn'],
        message: 'set exactly one of outcomeColumn (with wonValues) or wonDeals',
      });
    }
    if (hasOutcome && label.wonValues.length === 0) {
      context.addIssue({ code: 'custom', path: ['wonValues'], message: 'list the outcome values that mean won' });
    }
  });
export type LabelFromDates = z.infer<typeof LabelFromDates>;

export const ImportColumnType = z.enum(['numeric', 'categorical', 'boolean', 'date']);
export type ImportColumnType = z.infer<typeof ImportColumnType>;

export const ImportColumnSpec = z.object({
  type: ImportColumnType,
  /** Smallest allowed value of a numeric column; smaller values reject the row. */
  min: z.number().optional(),
  /** Placeholders stored as missing in this column only, checked before `min`. */
  missingValues: z.array(z.string()).optional(),
});
export type ImportColumnSpec = z.infer<typeof ImportColumnSpec>;
