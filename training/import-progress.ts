import type { ImportLeadsOptions } from '../src/core/import/import-leads.ts';

type ImportProgress = Parameters<NonNullable<ImportLeadsOptions['onProgress']>>[0];

/**
 * Returns an import progress callback for `stream`: a bar by bytes read, redrawn in place on a
 * terminal, or one line per call otherwise (logs, CI).
 */
export function createImportProgressPrinter(stream: NodeJS.WriteStream = process.stderr): (progress: ImportProgress) => void {
  const started = performance.now();
  return ({ rowsRead, bytesRead, totalBytes }) => {
    const fraction = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 0;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const text = `import ${rowsRead.toLocaleString('en-US')} rows, ${(fraction * 100).toFixed(0)} % of the file, ${seconds} s`;
    if (stream.isTTY) {
      const width = 20;
      const filled = Math.round(fraction * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`);
      if (fraction >= 1) stream.write('\n');
    } else {
      stream.write(`${text}\n`);
    }
  };
}
