import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';

const folder = mkdtempSync(path.join(tmpdir(), 'leadscore-import-test-'));
let fileCount = 0;

/** Writes `text` in the given encoding (optionally with a byte order mark) and returns the path. */
export function writeCsv(text: string, encoding = 'utf-8', withBom = false): string {
  fileCount += 1;
  const filePath = path.join(folder, `export-${fileCount}.csv`);
  writeFileSync(filePath, iconv.encode(text, encoding, { addBOM: withBom }));
  return filePath;
}
