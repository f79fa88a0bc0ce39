/** Field delimiters the sniffer chooses between. */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/**
 * Picks the delimiter that occurs most often outside quotes in the header line of `text`.
 * A tie, or a header without any candidate, yields a comma.
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(CSV_DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;

  for (const character of text) {
    if (character === '"') quoted = !quoted;
    if (quoted) continue;
    if (character === '\n' || character === '\r') break;
    const count = counts.get(character as CsvDelimiter);
    if (count !== undefined) counts.set(character as CsvDelimiter, count + 1);
  }

  let best: CsvDelimiter = ',';
  for (const [delimiter, count] of counts) {
    if (count > counts.get(best)!) best = delimiter;
  }
  return best;
}

/** Reads a delimiter setting: ",", ";", "\t" or the words "comma", "semicolon", "tab". */
export function parseDelimiterName(name: string): CsvDelimiter {
  const byWord: Record<string, CsvDelimiter> = { comma: ',', semicolon: ';', tab: '\t', '\\t': '\t' };
  const delimiter = byWord[name.toLowerCase()] ?? name;
  const match = CSV_DELIMITERS.find((candidate) => candidate === delimiter);
  if (!match) throw new Error(`delimiter '${name}' is not supported; expected ",", ";", "\\t" (or comma, semicolon, tab)`);
  return match;
}
