import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';

import { detectEncoding, type CsvEncoding, type EncodingSource } from './csv-encoding.ts';
import { sniffDelimiter, type CsvDelimiter } from './csv-delimiter.ts';

const SAMPLE_BYTES = 256 * 1024;

export interface CsvStreamOptions {
  /** Overrides encoding detection. */
  encoding?: CsvEncoding | undefined;
  /** Used for bytes that are not valid UTF-8 and carry no byte order mark. */
  fallbackEncoding?: CsvEncoding | undefined;
  /** Overrides delimiter sniffing. */
  delimiter?: CsvDelimiter | undefined;
}

/**
 * One CSV record. `rowNumber` counts records, not physical lines, with the header as row 1, so a
 * quoted field spanning three lines still occupies one row. Blank lines are skipped and not counted.
 */
export interface CsvRecord {
  rowNumber: number;
  fields: string[];
}

export interface CsvStream {
  header: string[];
  encoding: CsvEncoding;
  encodingSource: EncodingSource;
  delimiter: CsvDelimiter;
  delimiterSource: 'configured' | 'sniffed';
  /** Size of the file in bytes, and the bytes read from it so far, for progress bars. */
  totalBytes: number;
  bytesRead: () => number;
  /** Data records after the header, in file order; iterate once. */
  records: AsyncIterable<CsvRecord>;
}

/** Error in a CSV file's structure, such as a quote never closed; names the row and line. */
export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
}

/**
 * Opens a CSV export for streaming: detects its encoding and delimiter from the first 256 KiB,
 * then parses records one at a time, so memory does not grow with the file. Rows with a field
 * count different from the header are passed on unchanged for the caller to reject.
 */
export async function openCsvStream(filePath: string, options: CsvStreamOptions = {}): Promise<CsvStream> {
  const sample = await readSample(filePath);
  const detected = detectEncoding(sample, options);
  const sampleText = decodeSample(sample, detected.encoding);
  const delimiter = options.delimiter ?? sniffDelimiter(sampleText);

  const file = createReadStream(filePath);
  const parser = parse({ delimiter, info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  // pipeline destroys the parser with any decoding error, so the error reaches the iterating caller.
  pipeline(file, createDecoder(detected.encoding, filePath), parser, () => {});
  const iterator = iterateRecords(parser, filePath);

  const first = await iterator.next();
  if (first.done) throw new CsvFormatError(`${filePath}: the file is empty; expected a header row`);
  const header = first.value.fields.map((name) => name.trim());

  return {
    header,
    encoding: detected.encoding,
    encodingSource: detected.source,
    delimiter,
    delimiterSource: options.delimiter ? 'configured' : 'sniffed',
    totalBytes: (await stat(filePath)).size,
    bytesRead: () => file.bytesRead,
    records: { [Symbol.asyncIterator]: () => iterator },
  };
}

interface ParsedEntry {
  record: string[];
  info: { records: number; lines: number };
}

async function* iterateRecords(parser: AsyncIterable<unknown>, filePath: string): AsyncGenerator<CsvRecord> {
  try {
    for await (const entry of parser) {
      const { record, info } = entry as ParsedEntry;
      yield { rowNumber: info.records, fields: record };
    }
  } catch (error) {
    throw describeParseError(error, filePath);
  }
}

function describeParseError(error: unknown, filePath: string): Error {
  if (error instanceof CsvFormatError) return error;
  const csvError = error as Partial<CsvError> & Error;
  if (typeof csvError.records === 'number' && typeof csvError.lines === 'number') {
    const row = csvError.records + 1;
    return new CsvFormatError(`${filePath} row ${row} (line ${csvError.lines}): ${csvError.message}`);
  }
  return new CsvFormatError(`${filePath}: ${csvError.message}`);
}

async function readSample(filePath: string): Promise<Uint8Array> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function decodeSample(sample: Uint8Array, encoding: CsvEncoding): string {
  return iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength), encoding);
}

/** Decodes bytes to text; UTF-8 is decoded strictly so that a mislabelled file fails loudly. */
function createDecoder(encoding: CsvEncoding, filePath: string): Transform {
  if (encoding !== 'utf-8') return iconv.decodeStream(encoding) as unknown as Transform;
  return new StrictUtf8Decoder(filePath);
}

class StrictUtf8Decoder extends Transform {
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  #bytesSeen = 0;

  constructor(readonly filePath: string) {
    super({ decodeStrings: true, readableObjectMode: false });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const text = this.#decoder.decode(chunk, { stream: true });
      this.#bytesSeen += chunk.length;
      callback(null, text);
    } catch {
      callback(this.#invalidBytesError());
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      callback(null, this.#decoder.decode());
    } catch {
      callback(this.#invalidBytesError());
    }
  }

  #invalidBytesError(): CsvFormatError {
    return new CsvFormatError(
      `${this.filePath}: bytes after offset ${this.#bytesSeen} are not valid UTF-8; ` +
        `set "encoding" (for example "windows-1252" or "shift_jis") in the csv section of the config`,
    );
  }
}
