/**
 * Whether the WebGPU adapter is a real GPU. Without one, Dawn (or a browser) runs on a CPU Vulkan driver
 * (SwiftShader, llvmpipe/lavapipe), far slower than the wasm backend: `initBackend('auto')` skips it and the
 * benchmarks do not time it unless asked.
 */

/** The adapter's self-description (`GPUAdapter.info`, or `requestAdapterInfo()` on older implementations). */
export interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** WebGPU's own flag for a CPU fallback adapter, where the implementation sets it. */
  isFallbackAdapter?: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

/** Why the adapter is software ("google swiftshader, SwiftShader driver 5.0.0"), or null for a real GPU. */
export function softwareAdapterReason(info: AdapterInfo): string | null {
  const fields = [info.vendor, info.architecture, info.device, info.description].filter(
    (f): f is string => typeof f === 'string' && f.length > 0,
  );
  const described = [...new Set(fields)].join(', ') || 'no adapter info';
  if (info.isFallbackAdapter === true) return `fallback adapter: ${described}`;
  return fields.some((f) => SOFTWARE.test(f)) ? described : null;
}

interface GpuLike {
  requestAdapter(): Promise<
    (AdapterInfo & { info?: AdapterInfo; requestAdapterInfo?: () => Promise<AdapterInfo> }) | null
  >;
}

/** The info of the adapter `navigator.gpu` hands out (call after `initBackend('webgpu')` has provided it). */
export async function webgpuAdapterInfo(): Promise<AdapterInfo> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  const adapter = await gpu?.requestAdapter();
  if (adapter === undefined || adapter === null) return {};
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  // Copied field by field: GPUAdapterInfo's fields are prototype getters, which a spread would drop.
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: adapter.isFallbackAdapter ?? info.isFallbackAdapter,
  };
}
