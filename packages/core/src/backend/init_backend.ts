import * as tf from '@tensorflow/tfjs-core';
import { softwareAdapterReason, webgpuAdapterInfo, type AdapterInfo } from './adapter.js';
import { onSharedWasmHeap, prepareEngine, setEngineThreads } from '@inv/kernels';
import { registerFusedKernels } from '../kernels/register_kernels.js';

/** The backends inv can run on, best first. */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface InitBackendOptions {
  /** Log the choice (and why each better backend was skipped) to this function. Default: none. */
  log?: (message: string) => void;
  /**
   * Threads of @inv/kernels' engine, which runs the convolutions and products on cpu and wasm. Default:
   * `INV_THREADS`, else the machine's available parallelism. Results are bit-identical for any count.
   */
  threads?: number;
}

export interface BackendSelection {
  /** The backend now active. */
  backend: BackendName;
  /** For `tensorflow`: which package provided it. */
  provider?: string;
  /** Better backends that were tried and why each was not used. */
  skipped: { backend: BackendName; reason: string }[];
  /** For cpu and wasm: the threads @inv/kernels' engine runs on. */
  threads?: number;
  /** For webgpu in Node on Linux: the Vulkan driver Dawn runs on, and how it was found. */
  driver?: string;
}

const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;

/**
 * Dawn for Node, an optional dependency. Imported through a variable so that bundlers leave it to run time:
 * a string literal makes esbuild fail where it is not installed, and pack its native addon where it is.
 */
const DAWN_PACKAGE = 'webgpu';

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** A Vulkan driver for Dawn: the adapter it gives, and a line on which it is and how it was found. */
type ChosenDriver = { adapter: AdapterInfo; description: string };

/** The driver chosen for Dawn in this process (chosen once: the choice may set VK_ICD_FILENAMES). */
let vulkanDriver: Promise<ChosenDriver> | undefined;

/** Dawn's driver on Linux, tried in child processes before Dawn loads here (see vulkan_driver.ts). */
function chooseDriver(): Promise<ChosenDriver> {
  vulkanDriver ??= import('./vulkan_driver.js').then(
    async ({ chooseVulkanDriver, dawnUrl, describeDriver, machineProbe }) => {
      const driver = await chooseVulkanDriver(machineProbe(dawnUrl()));
      return { adapter: driver.adapter, description: describeDriver(driver) };
    },
  );
  return vulkanDriver;
}

/** Loads the tfjs module that registers a backend: its provider name, and for webgpu in Node its driver. */
async function loadBackendModule(
  backend: BackendName,
  auto: boolean,
): Promise<{ provider: string; driver?: string }> {
  switch (backend) {
    case 'tensorflow':
      for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
        try {
          await import(/* @vite-ignore */ pkg);
          return { provider: pkg };
        } catch {
          // Optional peer, absent or without its native library: try the next.
        }
      }
      throw new Error(
        'neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed (optional peers)',
      );
    case 'webgpu': {
      const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
      let driver: string | undefined;
      if (nav?.gpu === undefined) {
        if (!isNode) throw new Error('this browser has no navigator.gpu');
        if (process.platform === 'linux') {
          const chosen = await chooseDriver();
          // auto passes over a software adapter before Dawn loads here (its handles would hold the process).
          const software = auto ? softwareAdapterReason(chosen.adapter) : null;
          if (software !== null) throw new Error(softwareAdapterError(software));
          driver = chosen.description;
        }
        // Node: Dawn through the npm `webgpu` package; it must be in place before the backend module loads.
        const dawn = (await import(/* @vite-ignore */ DAWN_PACKAGE)) as {
          create: (flags: string[]) => unknown;
          globals: Record<string, unknown>;
        };
        Object.assign(globalThis, dawn.globals);
        (globalThis as { navigator?: unknown }).navigator = { ...(nav ?? {}), gpu: dawn.create([]) };
      }
      await import('@tensorflow/tfjs-backend-webgpu');
      return { provider: '@tensorflow/tfjs-backend-webgpu', ...(driver === undefined ? {} : { driver }) };
    }
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      return { provider: '@tensorflow/tfjs-backend-wasm' };
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return { provider: '@tensorflow/tfjs-backend-cpu' };
  }
}

const softwareAdapterError = (reason: string): string =>
  `software adapter (${reason}), slower than wasm; choose 'webgpu' explicitly to use it`;

/** `auto` wants speed: a WebGPU adapter that is a CPU Vulkan driver is slower than wasm, so it is passed over. */
async function rejectSoftwareWebgpu(): Promise<void> {
  const reason = softwareAdapterReason(await webgpuAdapterInfo());
  if (reason !== null) throw new Error(softwareAdapterError(reason));
}

async function tryBackend(
  backend: BackendName,
  auto: boolean,
): Promise<{ provider: string; driver?: string }> {
  const loaded = await loadBackendModule(backend, auto);
  const { provider } = loaded;
  if (auto && backend === 'webgpu') await rejectSoftwareWebgpu();
  if (tf.findBackendFactory(backend) === null)
    throw new Error(`${provider} registered no '${backend}' backend`);
  registerFusedKernels(backend);
  if (backend === 'cpu' || backend === 'wasm') await prepareEngine();
  // setBackend resolves false (and logs) when the backend's initialisation fails, e.g. no GPU adapter.
  // wasm on a shared heap: the engine's threads then work in place on its tensors (docs/06-engine.md).
  const ok = await (backend === 'wasm'
    ? onSharedWasmHeap(() => tf.setBackend(backend))
    : tf.setBackend(backend));
  if (!ok) throw new Error(`initialisation failed (no usable adapter or runtime)`);
  await tf.ready();
  return loaded;
}

function parsePreference(value: string): BackendName | 'auto' {
  if (value === 'auto' || (BACKEND_NAMES as readonly string[]).includes(value))
    return value as BackendName | 'auto';
  throw new Error(
    `initBackend: unknown backend '${value}'; expected one of auto, ${BACKEND_NAMES.join(', ')}`,
  );
}

/**
 * Selects the best available backend: tensorflow (tfjs-node-gpu, tfjs-node) → webgpu → wasm → cpu, or the
 * one named by `preference` / the `INV_BACKEND` environment variable. An explicit choice that cannot start is
 * an error (never a silent fallback); `auto` falls through and reports why each better one was skipped.
 * `options.threads` (or INV_THREADS) sets the engine's threads on cpu and wasm: `initBackend({ threads: 2 })`.
 */
export async function initBackend(
  preference?: BackendName | 'auto' | InitBackendOptions,
  maybeOptions: InitBackendOptions = {},
): Promise<BackendSelection> {
  // `initBackend({ threads })`: options alone, the backend from INV_BACKEND or 'auto'.
  const [named, options] =
    typeof preference === 'object' ? [undefined, preference] : [preference, maybeOptions];
  const envChoice = isNode ? process.env['INV_BACKEND'] : undefined;
  const choice = parsePreference(named ?? (envChoice || 'auto'));
  // Checked first: a bad count (or INV_THREADS) is an error before any backend starts.
  const threads = setEngineThreads(options.threads);
  const candidates: readonly BackendName[] = choice === 'auto' ? BACKEND_NAMES : [choice];
  const skipped: BackendSelection['skipped'] = [];
  for (const backend of candidates) {
    try {
      const { provider, driver } = await tryBackend(backend, choice === 'auto');
      const selection: BackendSelection = {
        backend,
        skipped,
        ...(backend === 'tensorflow' ? { provider } : {}),
        ...(driver === undefined ? {} : { driver }),
        ...(backend === 'cpu' || backend === 'wasm' ? { threads } : {}),
      };
      options.log?.(describeSelection(selection));
      return selection;
    } catch (error) {
      skipped.push({ backend, reason: message(error) });
    }
  }
  const tried = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  throw new Error(`initBackend: no backend could start (${tried})`);
}

/** One line: the backend in use and why each better one was skipped. */
export function describeSelection(selection: BackendSelection): string {
  const via = selection.provider ? ` via ${selection.provider}` : '';
  const threads =
    selection.threads === undefined
      ? ''
      : ` (${selection.threads} thread${selection.threads === 1 ? '' : 's'})`;
  const driver = selection.driver === undefined ? '' : ` (${selection.driver})`;
  const skipped = selection.skipped.map((s) => `${s.backend} skipped: ${s.reason}`);
  return [`backend: ${selection.backend}${via}${threads}${driver}`, ...skipped].join('; ');
}
