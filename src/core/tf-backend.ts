import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<string> | undefined;

/**
 * Selects the fastest TensorFlow.js backend available, once per process: the native
 * `@tensorflow/tfjs-node` when the user installed it, otherwise WebAssembly from
 * `@tensorflow/tfjs-backend-wasm` (its .wasm files ship inside the npm package, so it works
 * offline). Returns the backend's name.
 */
export function initBackend(): Promise<string> {
  ready ??= selectBackend();
  return ready;
}

async function selectBackend(): Promise<string> {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('@tensorflow/tfjs-node');
    await import('@tensorflow/tfjs-node' as string);
    if (await tf.setBackend('tensorflow')) return tf.getBackend();
  } catch {
    // Not installed, or built for another platform: WebAssembly follows.
  }

  const wasmEntry = require.resolve('@tensorflow/tfjs-backend-wasm');
  const wasmDir = wasmEntry.slice(0, wasmEntry.lastIndexOf('/') + 1);
  setWasmPaths(wasmDir);
  if (await tf.setBackend('wasm')) {
    await tf.ready();
    return tf.getBackend();
  }

  await tf.setBackend('cpu');
  return tf.getBackend();
}

export { tf };
