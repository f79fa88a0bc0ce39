import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The parts of an .ipynb file (nbformat 4) that the output check reads. */
interface NotebookCell {
  cell_type: string;
  outputs?: unknown[];
  execution_count?: number | null;
}

/** Lists the .ipynb files of a folder, sorted by name, as absolute paths. */
export async function listNotebooks(folder: string): Promise<string[]> {
  const names = await readdir(folder);
  return names
    .filter((name) => name.endsWith('.ipynb'))
    .sort()
    .map((name) => path.resolve(folder, name));
}

/**
 * Returns one message per code cell that still carries outputs or an execution count, so a
 * notebook is committed as source only. Throws when the text is not notebook JSON.
 */
export function findStoredOutputs(notebookText: string, notebookName: string): string[] {
  let notebook: { cells?: NotebookCell[] };
  try {
    notebook = JSON.parse(notebookText) as { cells?: NotebookCell[] };
  } catch (error) {
    throw new Error(`${notebookName} is not valid notebook JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(notebook.cells)) throw new Error(`${notebookName} has no 'cells' array; expected nbformat 4`);

  const problems: string[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const outputCount = cell.outputs?.length ?? 0;
    if (outputCount > 0) problems.push(`${notebookName} cell ${index + 1} has ${outputCount} stored outputs`);
    if (cell.execution_count !== null && cell.execution_count !== undefined) {
      problems.push(`${notebookName} cell ${index + 1} has execution count ${cell.execution_count}`);
    }
  });
  return problems;
}

/** Checks every notebook of a folder and returns all problems found, empty when all are clean. */
export async function findStoredOutputsInFolder(folder: string): Promise<string[]> {
  const problems: string[] = [];
  for (const file of await listNotebooks(folder)) {
    problems.push(...findStoredOutputs(await readFile(file, 'utf8'), path.basename(file)));
  }
  return problems;
}
