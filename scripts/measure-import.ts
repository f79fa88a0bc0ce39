// Generates a synthetic export (unless it exists) and imports it, printing time, heap and peak RSS.
// The heap peak is sampled every 50,000 rows. --expose-gc lets the script collect garbage before
// it reads the heap left after the import.
// Usage: node --expose-gc --import tsx scripts/measure-import.ts [export.csv] [rows]
// (default: leadscore-deals-1m.csv in the system's temporary folder, 1,000,000 rows).
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { importLeads } from '../src/core/import/import-leads.ts';
import { LabelFromDates } from '../src/core/import/import-settings.ts';
import { formatImportSummary } from '../src/core/import/import-report.ts';
import { writeSyntheticExport } from '../training/synthetic-export.ts';

const [filePath = path.join(os.tmpdir(), 'leadscore-deals-1m.csv'), rowsText = '1000000'] = process.argv.slice(2);
if (!existsSync(filePath)) await writeSyntheticExport(filePath, Number(rowsText));

const started = performance.now();
let peakHeap = 0;
const { table, report } = await importLeads({
  sourcePath: filePath,
  label: {
    mode: 'dates',
    rules: LabelFromDates.parse({
      createdColumn: 'created_date',
      outcomeColumn: 'stage',
      wonValues: ['Won'],
      lostValues: ['Lost'],
      closedColumn: 'close_date',
    }),
  },
  missingTokens: ['Select', 'unknown', 'NA'],
  excludeColumns: ['deal_id'],
  onProgress: ({ rowsRead }) => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    if (rowsRead % 200_000 === 0) process.stderr.write(`  ${rowsRead} rows\n`);
  },
});
const seconds = (performance.now() - started) / 1000;
const collected = typeof global.gc === 'function';
global.gc?.();
const mb = (bytes: number) => (bytes / 1_048_576).toFixed(0);
console.log(formatImportSummary(report));
console.log(`file ${mb(statSync(filePath).size)} MB, ${table.rowCount} leads kept, ${seconds.toFixed(1)} s`);
const heapAfter = `heap ${collected ? 'after gc' : 'at the end'} ${mb(process.memoryUsage().heapUsed)} MB`;
console.log(`sampled heap peak ${mb(peakHeap)} MB, ${heapAfter}, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
