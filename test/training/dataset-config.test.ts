import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';

import { loadDatasetConfig } from '../../src/core/dataset-config.ts';
import { importFromConfig } from '../../training/lead-table.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'leadscore-config-test-'));

function writeConfig(name: string, config: object): string {
  const configPath = path.join(folder, `${name}.config.json`);
  writeFileSync(configPath, JSON.stringify(config));
  return configPath;
}

describe('dataset config', () => {
  it('requires exactly one label source', async () => {
    const configPath = writeConfig('two-labels', {
      name: 'two-labels',
      source: 'x.csv',
      idColumn: 'id',
      labelColumn: 'won',
      orderColumn: 'id',
      labelFromDates: { createdColumn: 'created', outcomeColumn: 'stage', wonValues: ['Won'] },
    });
    await expect(loadDatasetConfig(configPath)).rejects.toThrow(/labelColumn: set exactly one of labelColumn or labelFromDates/);
  });

  it('names the received value of each invalid setting', async () => {
    const configPath = writeConfig('bad-values', {
      name: 'Our Deals',
      source: 'x.csv',
      labelColumn: 'won',
      orderColumn: 'id',
      split: { testFraction: 1.5 },
      model: { type: 'xgb' },
    });
    const error = await loadDatasetConfig(configPath).catch((caught: Error) => caught);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/name: .*\(received "Our Deals"\)/);
    expect((error as Error).message).toMatch(/split\.testFraction: .*\(received 1\.5\)/);
    expect((error as Error).message).toMatch(/model\.type: .*\(received "xgb"\)/);
  });

  it('names a missing export given on the command line as such', async () => {
    const configPath = writeConfig('given-export', { name: 'given-export', source: 'x.csv', labelColumn: 'won', orderColumn: 'id' });
    const loaded = await loadDatasetConfig(configPath, { sourceOverride: path.join(folder, 'no-such-export.csv') });

    await expect(importFromConfig(loaded)).rejects.toThrow(/the export '.*no-such-export\.csv' given on the command line does not exist/);
  });

  it('requires a time order', async () => {
    const configPath = writeConfig('no-order', { name: 'no-order', source: 'x.csv', idColumn: 'id', labelColumn: 'won' });
    await expect(loadDatasetConfig(configPath)).rejects.toThrow(/orderColumn: set orderColumn, labelFromDates or split.fileOrder/);
  });

  it('rejects a non-numeric missing value of a numeric column', async () => {
    const configPath = writeConfig('bad-placeholder', {
      name: 'bad-placeholder',
      source: 'x.csv',
      labelColumn: 'won',
      orderColumn: 'id',
      columns: { pdays: { type: 'numeric', missingValues: ['999', 'never'] } },
    });
    await expect(loadDatasetConfig(configPath)).rejects.toThrow(/columns\.pdays\.missingValues\.1: 'never' is not a number/);
  });

  it('rejects an unknown preset by name', async () => {
    const configPath = writeConfig('bad-preset', { name: 'bad-preset', source: 'x.csv', preset: 'pipedrive' });
    await expect(loadDatasetConfig(configPath)).rejects.toThrow(/preset "pipedrive" is unknown; expected one of hubspot-deals/);
  });

  it('resolves the won-deals file next to the config', async () => {
    const loaded = await loadDatasetConfig('data/olist.config.json');
    expect(loaded.wonDealsPath).toBe(path.resolve('data/olist/olist_closed_deals_dataset.csv'));
  });

  it('reads the source from the command line', async () => {
    const loaded = await loadDatasetConfig('data/olist.config.json', { sourceOverride: 'elsewhere/leads.csv' });
    expect(loaded.sourcePath).toBe(path.resolve('elsewhere/leads.csv'));
  });
});

describe('config presets', () => {
  it('maps a HubSpot deals export', async () => {
    const csv = [
      'Record ID,Deal Name,Deal Stage,Create Date,Close Date,Amount,Deal Type,Original Source Type',
      '1,Acme,Closed Won,2024-01-02 10:00,2024-01-20 12:00,5000,newbusiness,Organic Search',
      '2,Globex,Closed Lost,2024-01-03 09:30,2024-02-01 08:00,0,newbusiness,Paid Search',
      '3,Initech,Appointment Scheduled,2024-01-05 11:00,2024-09-30 00:00,800,existingbusiness,(No value)',
      '4,Umbrella,Contract Sent,2024-06-10 16:45,2024-07-15 00:00,1200,newbusiness,Referrals',
      '5,Hooli,Closed Won,2024-06-20 08:00,2024-06-25 09:00,300,newbusiness,Direct Traffic',
    ].join('\r\n');
    writeFileSync(path.join(folder, 'hubspot-deals.csv'), `\uFEFF${csv}\r\n`);
    const configPath = writeConfig('hubspot', { name: 'hubspot', preset: 'hubspot-deals', source: 'hubspot-deals.csv' });

    const { report, table } = await importFromConfig(await loadDatasetConfig(configPath));

    // As of 2024-06-25: deal 3 is open past its window (0), deal 4 is open and young (censored).
    expect(report.counts).toEqual({ rowsRead: 5, rowsUsed: 4, won: 2, lost: 2, censored: 1, rejected: 0 });
    expect(report.label).toMatchObject({ asOf: '2024-06-25' });
    expect(table.columns.map((column) => column.name)).toEqual(['Deal Type', 'Original Source Type']);
  });

  it('maps a Salesforce opportunity export', async () => {
    const csv = [
      'Id,Name,StageName,IsClosed,IsWon,CreatedDate,CloseDate,LeadSource,Industry,Probability',
      '0061,Big deal,Closed Won,true,true,2024-01-02T10:00:00.000Z,2024-02-01,Web,Retail,100',
      '0062,Lost deal,Closed Lost,true,false,2024-01-03T10:00:00.000Z,2024-01-15,Partner,Banking,0',
      '0063,Open deal,Prospecting,false,false,2024-05-20T10:00:00.000Z,2024-08-01,Web,Retail,10',
      '0064,Late win,Closed Won,true,true,2024-01-04T10:00:00.000Z,2024-05-20,Phone,Retail,100',
    ].join('\n');
    writeFileSync(path.join(folder, 'salesforce.csv'), csv);
    const configPath = writeConfig('salesforce', {
      name: 'salesforce',
      preset: 'salesforce-opportunities',
      source: 'salesforce.csv',
      labelFromDates: { asOf: '2024-06-01' },
    });

    const { report, table } = await importFromConfig(await loadDatasetConfig(configPath));

    expect(report.counts).toEqual({ rowsRead: 4, rowsUsed: 3, won: 1, lost: 2, censored: 1, rejected: 0 });
    expect(table.columns.map((column) => column.name)).toEqual(['LeadSource', 'Industry']);
  });
});

describe('csv settings in a config', () => {
  it('reads a Shift_JIS tab export with Japanese stages', async () => {
    const text = [
      '案件ID\t作成日\t商談ステージ\t成約日\t業種',
      'A1\t2024/01/05\t受注\t2024/02/01\t製造',
      'A2\t2024/01/06\t失注\t2024/01/20\t小売',
      'A3\t2024/06/20\t商談中\t\t製造',
      'A4\t2024/01/07\t受注\t2023/12/01\t小売',
    ].join('\r\n');
    writeFileSync(path.join(folder, 'sjis.csv'), iconv.encode(text, 'shift_jis'));
    const configPath = writeConfig('sjis', {
      name: 'sjis',
      source: 'sjis.csv',
      idColumn: '案件ID',
      labelFromDates: {
        createdColumn: '作成日',
        outcomeColumn: '商談ステージ',
        wonValues: ['受注'],
        lostValues: ['失注'],
        closedColumn: '成約日',
        dateFormats: ['YYYY/MM/DD'],
      },
    });

    const { report, table } = await importFromConfig(await loadDatasetConfig(configPath));

    expect(report.source).toMatchObject({ encoding: 'shift_jis', encodingSource: 'heuristic', delimiter: '\t' });
    expect(report.counts).toEqual({ rowsRead: 4, rowsUsed: 2, won: 1, lost: 1, censored: 1, rejected: 1 });
    expect(report.rejected[0]).toMatchObject({ row: 5, column: '成約日', reason: 'won-before-created' });
    expect(table.columns.map((column) => column.name)).toEqual(['業種']);
  });

  it('decodes with the configured encoding and delimiter', async () => {
    const text = 'id;created;stage;closed;city\n1;2024-01-02;Won;2024-01-09;Zürich\n2;2024-01-03;Lost;2024-01-10;Málaga\n';
    writeFileSync(path.join(folder, 'latin.csv'), iconv.encode(text, 'windows-1252'));
    const configPath = writeConfig('latin', {
      name: 'latin',
      source: 'latin.csv',
      idColumn: 'id',
      csv: { encoding: 'windows-1252', delimiter: ';' },
      labelFromDates: { createdColumn: 'created', outcomeColumn: 'stage', wonValues: ['Won'], lostValues: ['Lost'], closedColumn: 'closed' },
    });

    const { report, table } = await importFromConfig(await loadDatasetConfig(configPath));

    expect(report.source).toMatchObject({ encoding: 'windows-1252', encodingSource: 'configured', delimiterSource: 'configured' });
    const city = table.columns[0]!;
    expect(city.type === 'categorical' ? city.dictionary : []).toEqual(['Zürich', 'Málaga']);
  });
});
