import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';

import { detectEncoding, guessLegacyEncoding, isValidUtf8 } from '../../src/core/import/csv-encoding.ts';
import { sniffDelimiter } from '../../src/core/import/csv-delimiter.ts';
import { CsvFormatError, openCsvStream, type CsvRecord } from '../../src/core/import/csv-stream.ts';
import { writeCsv } from './csv-fixtures.ts';

async function readAll(filePath: string, options = {}) {
  const stream = await openCsvStream(filePath, options);
  const records: CsvRecord[] = [];
  for await (const record of stream.records) records.push(record);
  return { stream, records };
}

const GERMAN = 'name,city\r\nMüller,Köln\r\nJosé,São Paulo\r\n';
const JAPANESE = '氏名,会社\r\n山田太郎,株式会社テスト\r\nさくら,カタカナ商事\r\n';

describe('encoding detection', () => {
  const cases = [
    { label: 'UTF-8 with BOM', bytes: iconv.encode(GERMAN, 'utf-8', { addBOM: true }), encoding: 'utf-8', source: 'bom' },
    { label: 'UTF-8 without BOM', bytes: iconv.encode(GERMAN, 'utf-8'), encoding: 'utf-8', source: 'valid-utf-8' },
    { label: 'UTF-16 LE with BOM', bytes: iconv.encode(GERMAN, 'utf-16le', { addBOM: true }), encoding: 'utf-16le', source: 'bom' },
    { label: 'UTF-16 BE with BOM', bytes: iconv.encode(GERMAN, 'utf-16be', { addBOM: true }), encoding: 'utf-16be', source: 'bom' },
    { label: 'Shift_JIS', bytes: iconv.encode(JAPANESE, 'shift_jis'), encoding: 'shift_jis', source: 'heuristic' },
    { label: 'Windows-1252', bytes: iconv.encode(GERMAN, 'windows-1252'), encoding: 'windows-1252', source: 'heuristic' },
  ];
  for (const testCase of cases) {
    it(`detects ${testCase.label}`, () => {
      const detected = detectEncoding(testCase.bytes);
      expect(detected.encoding).toBe(testCase.encoding);
      expect(detected.source).toBe(testCase.source);
    });
  }

  it('prefers the configured encoding', () => {
    const detected = detectEncoding(iconv.encode(GERMAN, 'utf-8'), { encoding: 'windows-1252' });
    expect(detected).toEqual({ encoding: 'windows-1252', source: 'configured', bomLength: 0 });
  });

  it('uses the fallback for bytes that are not UTF-8', () => {
    const detected = detectEncoding(iconv.encode(JAPANESE, 'shift_jis'), { fallbackEncoding: 'windows-1252' });
    expect(detected).toEqual({ encoding: 'windows-1252', source: 'fallback', bomLength: 0 });
  });

  it('accepts a UTF-8 sequence cut by the sample end', () => {
    const bytes = iconv.encode('ab€', 'utf-8');
    expect(isValidUtf8(bytes.subarray(0, bytes.length - 1))).toBe(true);
    expect(isValidUtf8(Uint8Array.from([0x61, 0xe9, 0x62]))).toBe(false);
  });

  it('guesses Windows-1252 for Latin text valid as Shift_JIS pairs', () => {
    // 0xFC 0x6C is a well-formed Shift_JIS pair but decodes to no kana or kanji.
    expect(guessLegacyEncoding(iconv.encode('Müller;Dvořák\n', 'windows-1252'))).toBe('windows-1252');
  });
});

describe('delimiter sniffing', () => {
  it.each([
    ['a,b,c\n1,2,3', ','],
    ['a;b;c\n1;2;3', ';'],
    ['a\tb\tc\n1\t2\t3', '\t'],
    ['"x;y",b,c\n1,2,3', ','],
    ['single\n1', ','],
  ])('sniffs %j as %j', (text, delimiter) => {
    expect(sniffDelimiter(text)).toBe(delimiter);
  });
});

describe('openCsvStream', () => {
  const encodings: [string, boolean][] = [
    ['utf-8', true],
    ['utf-8', false],
    ['utf-16le', true],
    ['utf-16be', true],
    ['windows-1252', false],
  ];
  for (const [encoding, withBom] of encodings) {
    it(`reads ${encoding}${withBom ? ' with BOM' : ''} text exactly`, async () => {
      const { stream, records } = await readAll(writeCsv(GERMAN, encoding, withBom));
      expect(stream.encoding).toBe(encoding);
      expect(stream.header).toEqual(['name', 'city']);
      expect(records.map((record) => record.fields)).toEqual([
        ['Müller', 'Köln'],
        ['José', 'São Paulo'],
      ]);
    });
  }

  it('reads Shift_JIS text exactly', async () => {
    const { stream, records } = await readAll(writeCsv(JAPANESE, 'shift_jis'));
    expect(stream.encoding).toBe('shift_jis');
    expect(stream.header).toEqual(['氏名', '会社']);
    expect(records[1]!.fields).toEqual(['さくら', 'カタカナ商事']);
  });

  it('numbers records with the header as row 1 across embedded newlines', async () => {
    const text = 'id;note;amount\r\n1;"first\r\nsecond line";10\r\n\r\n2;"has ""quotes"";";20\r\n3;plain;30\r\n';
    const { stream, records } = await readAll(writeCsv(text));
    expect(stream.delimiter).toBe(';');
    expect(records.map((record) => record.rowNumber)).toEqual([2, 3, 4]);
    expect(records[0]!.fields[1]).toBe('first\r\nsecond line');
    expect(records[1]!.fields[1]).toBe('has "quotes";');
  });

  it('reads tab-separated files and honours a configured delimiter', async () => {
    const tabbed = await readAll(writeCsv('a\tb\n1,5\t2\n'));
    expect(tabbed.stream.delimiter).toBe('\t');
    expect(tabbed.records[0]!.fields).toEqual(['1,5', '2']);

    const forced = await readAll(writeCsv('a;b,c\n1;2,3\n'), { delimiter: ',' });
    expect(forced.stream.delimiterSource).toBe('configured');
    expect(forced.records[0]!.fields).toEqual(['1;2', '3']);
  });

  it('passes on rows with a wrong field count', async () => {
    const { records } = await readAll(writeCsv('a,b\n1,2\n3\n4,5,6\n'));
    expect(records.map((record) => record.fields.length)).toEqual([2, 1, 3]);
  });

  it('names the row of a quote that is never closed', async () => {
    const filePath = writeCsv('a,b\n1,2\n3,"open\n4,5\n');
    await expect(readAll(filePath)).rejects.toThrow(CsvFormatError);
    await expect(readAll(filePath)).rejects.toThrow(/row 3/);
  });

  it('rejects invalid UTF-8 past the detection sample', async () => {
    const body = 'a,b\n' + 'x,1\n'.repeat(80_000);
    const bytes = Buffer.concat([Buffer.from(body), Buffer.from([0x79, 0xe9, 0x2c, 0x32, 0x0a])]);
    const filePath = writeCsv('');
    (await import('node:fs')).writeFileSync(filePath, bytes);
    await expect(readAll(filePath)).rejects.toThrow(/not valid UTF-8.*encoding/);
  });

  it('fails on an empty file', async () => {
    await expect(readAll(writeCsv(''))).rejects.toThrow(/empty/);
  });
});
