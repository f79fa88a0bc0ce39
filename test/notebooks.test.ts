import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { barChart, escapeXml, reliabilityChart } from '../notebooks/charts.ts';
import { tableOutput } from '../notebooks/display.ts';
import { findStoredOutputs, findStoredOutputsInFolder, listNotebooks } from '../scripts/notebook-files.ts';

const NOTEBOOKS_DIR = path.resolve(import.meta.dirname, '..', 'notebooks');

function notebookText(cells: object[]): string {
  return JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });
}

describe('committed notebooks', () => {
  it('exist in notebooks/', async () => {
    const notebooks = await listNotebooks(NOTEBOOKS_DIR);
    expect(notebooks.length).toBeGreaterThan(0);
  });

  it('carry no outputs or execution counts', async () => {
    expect(await findStoredOutputsInFolder(NOTEBOOKS_DIR)).toEqual([]);
  });
});

describe('findStoredOutputs', () => {
  it('accepts cleared code cells', () => {
    const text = notebookText([
      { cell_type: 'markdown', source: ['# Title'] },
      { cell_type: 'code', execution_count: null, outputs: [], source: ['1 + 1'] },
    ]);
    expect(findStoredOutputs(text, 'clean.ipynb')).toEqual([]);
  });

  it('names cells with stored outputs', () => {
    const text = notebookText([
      { cell_type: 'markdown', source: ['# Title'] },
      { cell_type: 'code', execution_count: 3, outputs: [{ output_type: 'stream', text: ['2'] }], source: ['1 + 1'] },
    ]);
    expect(findStoredOutputs(text, 'run.ipynb')).toEqual([
      'run.ipynb cell 2 has 1 stored outputs',
      'run.ipynb cell 2 has execution count 3',
    ]);
  });

  it('rejects invalid notebook JSON', () => {
    expect(() => findStoredOutputs('{"cells": ', 'broken.ipynb')).toThrow(/broken.ipynb is not valid notebook JSON/);
    expect(() => findStoredOutputs('{}', 'empty.ipynb')).toThrow(/no 'cells' array/);
  });
});

describe('notebook charts', () => {
  it('escapes category labels in bar charts', () => {
    const svg = barChart({ title: 'Rate by <source>', bars: [{ label: 'A & B', value: 0.25 }] });
    expect(svg).toContain('Rate by &lt;source&gt;');
    expect(svg).toContain('A &amp; B');
    expect(svg).toContain('25.0 %');
  });

  it('scales the longest bar to the plot width', () => {
    const svg = barChart({ title: 't', bars: [{ label: 'a', value: 2 }, { label: 'b', value: 1 }], width: 640 });
    // Plot width = 640 - 220 (labels) - 130 (values) = 290 units for the largest value.
    expect(svg).toContain('width="290.0"');
    expect(svg).toContain('width="145.0"');
  });

  it('skips empty bins in reliability charts', () => {
    const bins = [
      { lower: 0, upper: 0.5, count: 0, meanProbability: Number.NaN, observedRate: Number.NaN },
      { lower: 0.5, upper: 1, count: 4, meanProbability: 0.75, observedRate: 0.5 },
    ];
    const svg = reliabilityChart('Reliability', [{ name: 'model', color: '#000', bins }]);
    expect(svg).not.toContain('NaN');
    expect(svg.match(/<circle /g)).toHaveLength(1);
  });

  it('escapes quotes for attribute values', () => {
    expect(escapeXml('say "hi"')).toBe('say &quot;hi&quot;');
  });
});

describe('tableOutput', () => {
  it('formats numbers and NaN', () => {
    const output = tableOutput(['split', 'AUC'], [['test', 0.88123], ['empty', Number.NaN]]);
    const bundle = output[Symbol.for('Jupyter.display')]!();
    expect(bundle['text/html']).toContain('<td style="text-align:right">0.881</td>');
    expect(bundle['text/plain']).toBe('split | AUC\ntest | 0.881\nempty | n/a');
  });
});
