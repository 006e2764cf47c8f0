import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@inv/core';
import { registerKernels } from '@inv/kernels';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * The site's backends, best first. `initBackend`'s order minus `tensorflow` (Node only), plus `webgl`: the
 * @tensorflow/tfjs bundle (which @inv/core imports) registers it, and involution runs there on the composite
 * kernels, so browsers without WebGPU still get a GPU.
 */
export const SITE_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type SiteBackend = (typeof SITE_BACKENDS)[number];

export interface SiteBackendSelection {
  readonly backend: SiteBackend;
  /** Better backends that were tried, and why each did not start. */
  readonly skipped: readonly { backend: SiteBackend; reason: string }[];
}

async function start(backend: SiteBackend): Promise<void> {
  if (backend === 'webgl') {
    if (!(await tf.setBackend('webgl'))) throw new Error('initialisation failed (no WebGL context)');
    await tf.ready();
    // Set up by hand, not by initBackend: inv's gradients (webgl has no kernels of @inv/kernels' own).
    registerKernels('webgl');
    return;
  }
  if (backend === 'wasm') {
    // The .wasm binaries are emitted as hashed assets; tell the backend where they are before it loads them.
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
    });
  }
  await initBackend(backend);
}

/** `?backend=NAME` asks for one backend (to compare them, or to see a fallback); otherwise the best that starts. */
function candidates(): readonly SiteBackend[] {
  const asked = new URLSearchParams(location.search).get('backend');
  if (asked === null) return SITE_BACKENDS;
  if (!(SITE_BACKENDS as readonly string[]).includes(asked)) {
    throw new Error(`?backend=${asked} is not one of ${SITE_BACKENDS.join(', ')}`);
  }
  return [asked as SiteBackend];
}

/** Starts the best backend that starts (or the one `?backend=` asks for). */
export async function startBackend(): Promise<SiteBackendSelection> {
  const skipped: { backend: SiteBackend; reason: string }[] = [];
  for (const backend of candidates()) {
    try {
      await start(backend);
      return { backend, skipped };
    } catch (error) {
      skipped.push({ backend, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new Error(`no backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

/** The badge: which backend runs the demo, and why any better one was skipped (in its tooltip). */
export function renderBadge(badge: HTMLElement, selection: SiteBackendSelection): void {
  const { backend, skipped } = selection;
  badge.dataset['backend'] = backend;
  badge.className = `badge ${backend === 'webgpu' ? 'badge-gpu' : 'badge-fallback'}`;
  const why =
    skipped.length > 0 ? `fallback: ${skipped.map((s) => s.backend).join(', ')} unavailable` : 'as asked';
  badge.textContent = backend === 'webgpu' ? 'running on WebGPU' : `running on ${backend} (${why})`;
  badge.title = skipped.map((s) => `${s.backend}: ${s.reason}`).join('\n') || `backend: ${backend}`;
}
