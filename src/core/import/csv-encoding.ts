import iconv from 'iconv-lite';

/** Text encodings that CRM exports commonly use and that the importer can decode. */
export const SUPPORTED_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'shift_jis', 'windows-1252'] as const;
export type CsvEncoding = (typeof SUPPORTED_ENCODINGS)[number];

/** Origin of the encoding decision, for the import report. */
export type EncodingSource = 'configured' | 'bom' | 'valid-utf-8' | 'fallback' | 'heuristic';

export interface DetectedEncoding {
  encoding: CsvEncoding;
  source: EncodingSource;
  /** Bytes of byte order mark at the start of the file, skipped before decoding. */
  bomLength: number;
}

export interface DetectEncodingOptions {
  /** Encoding set in the config; wins over everything detected. */
  encoding?: CsvEncoding | undefined;
  /** Encoding used when the bytes are not valid UTF-8; when unset a heuristic picks one. */
  fallbackEncoding?: CsvEncoding | undefined;
}

/**
 * Decides the encoding of a CSV file from its first bytes: a configured encoding first, then a
 * byte order mark, then UTF-8 validity, then the configured fallback or a Shift_JIS versus
 * Windows-1252 heuristic. `sample` may end inside a multi-byte character.
 */
export function detectEncoding(sample: Uint8Array, options: DetectEncodingOptions = {}): DetectedEncoding {
  const bom = readByteOrderMark(sample);
  if (options.encoding) {
    const bomLength = bom && bom.encoding === options.encoding ? bom.length : 0;
    return { encoding: options.encoding, source: 'configured', bomLength };
  }
  if (bom) return { encoding: bom.encoding, source: 'bom', bomLength: bom.length };
  if (isValidUtf8(sample)) return { encoding: 'utf-8', source: 'valid-utf-8', bomLength: 0 };
  if (options.fallbackEncoding) return { encoding: options.fallbackEncoding, source: 'fallback', bomLength: 0 };
  return { encoding: guessLegacyEncoding(sample), source: 'heuristic', bomLength: 0 };
}

function readByteOrderMark(bytes: Uint8Array): { encoding: CsvEncoding; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** Checks UTF-8 well-formedness; a sequence cut off by the end of the sample still counts as valid. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    const length = utf8SequenceLength(lead);
    if (length === 0) return false;
    for (let offset = 1; offset < length; offset += 1) {
      const next = bytes[index + offset];
      if (next === undefined) return true;
      if ((next & 0xc0) !== 0x80) return false;
    }
    index += length;
  }
  return true;
}

function utf8SequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  // 0xC0 and 0xC1 only start overlong encodings, and bytes above 0xF4 encode past U+10FFFF.
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Picks Shift_JIS when the bytes decode under it without replacement characters and at least
 * half of the non-ASCII characters are kana, kanji or full-width forms; Windows-1252 otherwise.
 * Short or mixed samples can be misjudged: the config's `encoding` field settles such files.
 */
export function guessLegacyEncoding(sample: Uint8Array): CsvEncoding {
  const text = iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength), 'shift_jis');
  // The last character may be half of a pair cut by the sample boundary.
  const body = text.slice(0, -1);
  if (body.includes('\uFFFD')) return 'windows-1252';

  let nonAscii = 0;
  let japanese = 0;
  for (const character of body) {
    const code = character.codePointAt(0)!;
    if (code < 0x80) continue;
    nonAscii += 1;
    if (isJapaneseCodePoint(code)) japanese += 1;
  }
  return nonAscii > 0 && japanese * 2 >= nonAscii ? 'shift_jis' : 'windows-1252';
}

function isJapaneseCodePoint(code: number): boolean {
  return (
    (code >= 0x3000 && code <= 0x30ff) || // CJK punctuation, hiragana, katakana
    (code >= 0x4e00 && code <= 0x9fff) || // CJK unified ideographs
    (code >= 0xff00 && code <= 0xffef) // full-width and half-width forms
  );
}

/** Throws when `name` is not a supported encoding; returns its canonical spelling otherwise. */
export function parseEncodingName(name: string): CsvEncoding {
  const normalized = name.trim().toLowerCase().replace(/^utf8$/, 'utf-8').replace(/^cp1252$/, 'windows-1252');
  const canonical = normalized === 'sjis' || normalized === 'shift-jis' ? 'shift_jis' : normalized;
  const match = SUPPORTED_ENCODINGS.find((encoding) => encoding === canonical);
  if (!match) {
    throw new Error(`encoding '${name}' is not supported; expected one of ${SUPPORTED_ENCODINGS.join(', ')}`);
  }
  return match;
}
