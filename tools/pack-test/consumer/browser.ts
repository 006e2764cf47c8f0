// A page's imports: bundled for the browser by test/pack.test.ts, which fails if any entry reaches a Node
// module or an export condition is missing. Not run: the Node run covers behaviour.
import { initBackend, involution } from '@inv/core';
import '@inv/generator-attention';
import { loadCifar10 } from '@inv/data';
import { createModel } from '@inv/models';
import { drawToCanvas } from '@inv/viz';

export async function start(url: string, canvas: HTMLCanvasElement): Promise<void> {
  await initBackend();
  const test = await loadCifar10({ url, split: 'test', limit: 8 });
  const model = createModel('seed-inv');
  console.log(test.size, model.countParams(), involution({ kernelSize: 3 }).name, drawToCanvas, canvas);
}
