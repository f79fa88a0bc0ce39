import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Seeded xorshift32 generator returning numbers in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4_294_967_296;
  };
}

const SECTORS = ['retail', 'finance', 'software', 'medical', 'telecom', 'Select', 'unknown'];
const SOURCES = ['Google', 'Referral', 'Direct', 'Event', 'Partner', 'NA'];
const STAGES = ['Won', 'Lost', 'Engaging', 'Prospecting'];
const DAY_MS = 86_400_000;
const EXPORT_DAY = Date.UTC(2024, 5, 30) / DAY_MS;

/**
 * Builds one synthetic CRM deal row: about 1 % of rows carry a bad value (invalid date, wrong
 * field count, a win dated before creation) so that rejection paths run at scale.
 */
export function syntheticDealRow(id: number, random: () => number, signal = true): string {
  const createdDay = Date.UTC(2023, 0, 1) / DAY_MS + Math.floor(random() * 540);
  const sector = SECTORS[Math.floor(random() * SECTORS.length)]!;
  const source = SOURCES[Math.floor(random() * SOURCES.length)]!;
  const visits = Math.floor(random() * 40);
  const minutes = (random() * 120).toFixed(1);
  const score = random();
  // Without signal the outcome ignores the lead's attributes, so no model can rank it.
  const winChance = signal ? 0.35 + visits / 200 : 0.45;
  let stage = STAGES[score < winChance ? 0 : Math.floor(1 + random() * 3)]!;
  let closedDay = stage === 'Won' || stage === 'Lost' ? createdDay + Math.floor(random() * 150) : undefined;
  // Deals that would close after the export date are still open in the export.
  if (closedDay !== undefined && closedDay > EXPORT_DAY) {
    stage = 'Engaging';
    closedDay = undefined;
  }
  const created = new Date(createdDay * DAY_MS).toISOString().slice(0, 10);
  let closed = closedDay === undefined ? '' : new Date(closedDay * DAY_MS).toISOString().slice(0, 10);

  const fault = random();
  if (fault < 0.003) return `${id},${sector},${source}`;
  if (fault < 0.006) closed = `${closed.slice(0, 5)}13-40`;
  if (fault < 0.01 && stage === 'Won') closed = new Date((createdDay - 3) * DAY_MS).toISOString().slice(0, 10);
  return `${id},"${sector}",${source},${visits},${minutes},${stage},${created},${closed}`;
}

export const SYNTHETIC_HEADER = 'deal_id,industry,lead_source,visits,minutes_on_site,stage,created_date,close_date';

/**
 * Writes `rows` synthetic deals to `filePath` as UTF-8 CSV with CRLF line ends. With `signal`
 * false the outcome is independent of every column.
 */
export async function writeSyntheticExport(filePath: string, rows: number, seed = 7, signal = true): Promise<void> {
  const random = createRandom(seed);
  const output = createWriteStream(filePath);
  output.write(`${SYNTHETIC_HEADER}\r\n`);
  for (let id = 1; id <= rows; id += 1) {
    if (!output.write(`${syntheticDealRow(id, random, signal)}\r\n`)) await once(output, 'drain');
  }
  output.end();
  await once(output, 'finish');
}
