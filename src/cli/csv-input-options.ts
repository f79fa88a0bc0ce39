import { InvalidArgumentError } from 'commander';

import { parseDelimiterName, type CsvDelimiter } from '../core/import/csv-delimiter.ts';
import { parseEncodingName, SUPPORTED_ENCODINGS, type CsvEncoding } from '../core/import/csv-encoding.ts';

/** Help text of the --encoding option of commands that read a CSV of leads. */
export const ENCODING_HELP = `text encoding of the CSV: ${SUPPORTED_ENCODINGS.join(', ')} (default: detected)`;

/** Help text of the --delimiter option of commands that read a CSV of leads. */
export const DELIMITER_HELP = 'field delimiter of the CSV: comma, semicolon or tab (default: detected from the header)';

/** Parses --encoding for commander, which prefixes the error with the option and the value. */
export function parseEncodingOption(value: string): CsvEncoding {
  try {
    return parseEncodingName(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Parses --delimiter for commander, which prefixes the error with the option and the value. */
export function parseDelimiterOption(value: string): CsvDelimiter {
  try {
    return parseDelimiterName(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
