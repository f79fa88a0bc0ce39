const MS_PER_DAY = 86_400_000;

/**
 * Date format pattern built from `YYYY`, `MM`/`M` (month), `DD`/`D` (day), `HH`/`H`, `mm`, `ss`
 * and literal characters. The special name `ISO` accepts `YYYY-MM-DD` with an optional time and zone.
 */
export type DateFormat = string;

interface CompiledFormat {
  format: DateFormat;
  regex: RegExp;
  groups: ('year' | 'month' | 'day' | 'skip')[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Compiled date formats, built once per import. */
export class DateParser {
  readonly formats: DateFormat[];
  readonly #compiled: CompiledFormat[];

  constructor(formats: DateFormat[]) {
    if (formats.length === 0) throw new Error('dateFormats is empty; give at least one format such as "YYYY-MM-DD"');
    this.formats = formats;
    this.#compiled = formats.map(compileFormat);
  }

  /**
   * Parses `value` with the first matching format and returns its calendar date as whole days
   * since 1970-01-01. The time of day and any zone are ignored, so a deal closed at 23:59 counts
   * on the date written in the export. Returns undefined for text that is no valid date.
   */
  parseDay(value: string): number | undefined {
    const text = value.trim();
    for (const compiled of this.#compiled) {
      const match = compiled.regex.exec(text);
      if (!match) continue;
      const day = dayFromMatch(compiled, match);
      if (day !== undefined) return day;
    }
    return undefined;
  }
}

function compileFormat(format: DateFormat): CompiledFormat {
  if (format === 'ISO') return { format, regex: ISO_DATE, groups: ['year', 'month', 'day'] };

  const groups: CompiledFormat['groups'] = [];
  let pattern = '';
  const tokens = format.match(/YYYY|MM|M|DD|D|HH|H|mm|ss|./g) ?? [];
  for (const token of tokens) {
    if (token === 'YYYY') pattern += '(\\d{4})';
    else if (token === 'MM' || token === 'DD') pattern += '(\\d{2})';
    else if (token === 'M' || token === 'D') pattern += '(\\d{1,2})';
    else if (token === 'HH' || token === 'mm' || token === 'ss') pattern += '(\\d{2})';
    else if (token === 'H') pattern += '(\\d{1,2})';
    else {
      pattern += token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    groups.push(token.startsWith('Y') ? 'year' : token.startsWith('M') ? 'month' : token.startsWith('D') ? 'day' : 'skip');
  }
  if (!groups.includes('year') || !groups.includes('month') || !groups.includes('day')) {
    throw new Error(`date format '${format}' needs YYYY, MM (or M) and DD (or D); for example "DD/MM/YYYY"`);
  }
  return { format, regex: new RegExp(`^${pattern}$`), groups };
}

function dayFromMatch(compiled: CompiledFormat, match: RegExpExecArray): number | undefined {
  const parts = { year: 0, month: 0, day: 0 };
  compiled.groups.forEach((group, index) => {
    if (group !== 'skip') parts[group] = Number(match[index + 1]);
  });

  const time = Date.UTC(parts.year, parts.month - 1, parts.day);
  const date = new Date(time);
  // Date.UTC rolls 31 February over into March; a round trip exposes such dates.
  if (date.getUTCFullYear() !== parts.year || date.getUTCMonth() !== parts.month - 1 || date.getUTCDate() !== parts.day) {
    return undefined;
  }
  return time / MS_PER_DAY;
}

/** Formats whole days since 1970-01-01 as YYYY-MM-DD. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Parses a finite number written with a dot as decimal separator; undefined otherwise. */
export function parseNumber(value: string): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'f']);

/** Parses yes/no, true/false, y/n, t/f and 1/0 in any letter case; undefined otherwise. */
export function parseBoolean(value: string): boolean | undefined {
  const text = value.trim().toLowerCase();
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return undefined;
}

/** Parses a YYYY-MM-DD setting into whole days since 1970-01-01, or throws naming the value. */
export function parseIsoDay(value: string): number {
  const day = new DateParser(['YYYY-MM-DD']).parseDay(value);
  if (day === undefined) throw new Error(`'${value}' is not a valid date; expected YYYY-MM-DD`);
  return day;
}
