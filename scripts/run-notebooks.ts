/**
 * Executes every notebook in notebooks/ headless with Jupyter's nbconvert and the Deno kernel,
 * in name order, and exits non-zero on the first cell error. Notebooks must be committed without
 * outputs: that is checked first. Executed copies go to a temporary folder, never over the
 * sources unless --output-dir names a folder to keep them in.
 * Usage: npm run notebooks [-- [--output-dir DIR] NAME.ipynb ...]
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { findStoredOutputsInFolder, listNotebooks } from './notebook-files.ts';

const NOTEBOOKS_DIR = path.resolve(import.meta.dirname, '..', 'notebooks');
/** Per-cell limit in seconds; the slowest cell (training) takes well under a minute. */
const CELL_TIMEOUT_SECONDS = 300;

/**
 * Returns the path of the Deno binary from the `deno` npm package, linking it into place from
 * the platform package first when npm skipped the package's install script.
 */
function resolveDenoBinary(): string {
  const require = createRequire(import.meta.url);
  const installer = require('deno/install_api.cjs') as { runInstall(): string };
  return installer.runInstall();
}

/**
 * Writes a kernelspec named "deno" that starts this checkout's Deno, into a fresh folder meant for
 * JUPYTER_PATH, so a run needs no kernel registered by hand and never picks another checkout's.
 */
async function writeKernelSpec(jupyterPath: string, denoBinary: string): Promise<void> {
  const kernelDir = path.join(jupyterPath, 'kernels', 'deno');
  await mkdir(kernelDir, { recursive: true });
  const spec = {
    argv: [denoBinary, 'jupyter', '--kernel', '--conn', '{connection_file}'],
    display_name: 'Deno',
    language: 'typescript',
  };
  await writeFile(path.join(kernelDir, 'kernel.json'), `${JSON.stringify(spec, null, 2)}\n`);
}

function checkJupyterInstalled(): void {
  const probe = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      "'jupyter nbconvert' was not found or failed; install it with " +
        "'apt-get install -y jupyter-nbconvert python3-jupyter-client python3-ipykernel' (Debian 12)",
    );
  }
}

async function selectNotebooks(names: string[]): Promise<string[]> {
  const all = await listNotebooks(NOTEBOOKS_DIR);
  if (names.length === 0) return all;
  return names.map((name) => {
    const match = all.find((file) => path.basename(file) === path.basename(name));
    if (!match) {
      const known = all.map((file) => path.basename(file)).join(', ');
      throw new Error(`notebook '${name}' not found in notebooks/; the notebooks are: ${known}`);
    }
    return match;
  });
}

/** Executes one notebook with nbconvert; returns whether every cell ran without an error. */
function executeNotebook(notebook: string, outputDir: string, env: NodeJS.ProcessEnv): boolean {
  const name = path.basename(notebook);
  const started = performance.now();
  const run = spawnSync(
    'jupyter',
    [
      'nbconvert', '--to', 'notebook', '--execute',
      `--ExecutePreprocessor.timeout=${CELL_TIMEOUT_SECONDS}`,
      '--ExecutePreprocessor.kernel_name=deno',
      '--output-dir', outputDir,
      notebook,
    ],
    { env, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (run.error || run.status !== 0) {
    console.error(`notebook ${name} failed after ${seconds} s (exit ${run.status ?? run.error?.message})`);
    return false;
  }
  console.log(`notebook ${name} ran in ${seconds} s`);
  return true;
}

async function main(): Promise<number> {
  const problems = await findStoredOutputsInFolder(NOTEBOOKS_DIR);
  if (problems.length > 0) {
    console.error(`notebooks must be committed without outputs; clear them (Jupyter: Edit > Clear All Outputs):\n  ${problems.join('\n  ')}`);
    return 1;
  }

  const { values: options, positionals: names } = parseArgs({
    options: { 'output-dir': { type: 'string' } },
    allowPositionals: true,
  });
  checkJupyterInstalled();
  const notebooks = await selectNotebooks(names);

  const workDir = await mkdtemp(path.join(tmpdir(), 'leadscore-notebooks-'));
  try {
    const jupyterPath = path.join(workDir, 'jupyter');
    await writeKernelSpec(jupyterPath, resolveDenoBinary());
    const env = { ...process.env, JUPYTER_PATH: jupyterPath, NO_COLOR: '1' };
    const outputDir = path.resolve(options['output-dir'] ?? path.join(workDir, 'executed'));

    const started = performance.now();
    for (const notebook of notebooks) {
      if (!executeNotebook(notebook, outputDir, env)) return 1;
    }
    const total = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`${notebooks.length} notebooks ran in ${total} s`);
    return 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  // Setup problems (Jupyter missing, unknown notebook name) need their message, not a stack trace.
  console.error((error as Error).message);
  process.exitCode = 1;
}
