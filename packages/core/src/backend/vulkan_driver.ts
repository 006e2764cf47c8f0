/**
 * WebGPU in Node is Dawn (the npm `webgpu` package) on a Vulkan driver. A driver registers itself with the
 * Vulkan loader through an ICD file (`/usr/share/vulkan/icd.d/*.json` and the like); a machine without a GPU
 * has none, and Dawn then prints "vkCreateInstance: Found no drivers!" to stderr and hands out no adapter.
 * Before Dawn loads in this process, each candidate driver is tried in a child process (its warnings stay
 * there): the system's registered ICDs first, then known GPU drivers installed outside the loader's folders
 * (NVIDIA's container runtime), then known software ones (Chromium's SwiftShader). The first that gives an
 * adapter is put in `VK_ICD_FILENAMES` for this process's Dawn.
 */
import type * as ChildProcess from 'node:child_process';
import type * as Fs from 'node:fs';
import type * as Module from 'node:module';
import type * as Url from 'node:url';
import type { AdapterInfo } from './adapter.js';

/** Which driver Dawn runs on, and how it was found. */
export interface VulkanDriver {
  /** The ICD file given to the loader; undefined: the system's registered ones. */
  icd?: string;
  /**
   * Where it came from: the user's `VK_DRIVER_FILES` or `VK_ICD_FILENAMES`, the system's ICDs, or a known GPU
   * (vendor) or software driver outside the loader's folders.
   */
  source: (typeof DRIVER_VARIABLES)[number] | 'system' | 'vendor' | 'software';
  /** The adapter it gave (empty when the user's variable was taken as given). */
  adapter: AdapterInfo;
}

/** The loader's variables naming ICD files, the newer first (the loader reads it first too). */
export const DRIVER_VARIABLES = ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES'] as const;

/**
 * GPU drivers known to install outside the loader's folders: NVIDIA's container runtime mounts the driver,
 * its ICD file included, under /usr/local/nvidia (seen on the H200 machines this project measures on).
 */
export const VENDOR_ICDS: readonly { icd: string; name: string }[] = [
  { icd: '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json', name: "NVIDIA's container driver" },
];

/** Software drivers known to install outside the loader's folders: Debian's Chromium ships SwiftShader. */
export const SOFTWARE_ICDS: readonly { icd: string; name: string }[] = [
  { icd: '/usr/lib/chromium/vk_swiftshader_icd.json', name: "Chromium's SwiftShader" },
];

/** Where the Vulkan loader looks for registered ICDs on Linux (besides $XDG_* folders). */
export const ICD_FOLDERS = [
  '/usr/share/vulkan/icd.d',
  '/usr/local/share/vulkan/icd.d',
  '/etc/vulkan/icd.d',
] as const;

/** The loader's own library, which Dawn opens. */
const LOADER_FOLDERS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/lib/x86_64-linux-gnu',
  '/lib64',
];
const LOADER = 'libvulkan.so.1';

/** What choosing needs from the machine; the defaults read the real one (tests pass their own). */
export interface DriverProbe {
  env: Record<string, string | undefined>;
  exists(path: string): boolean;
  /** The JSON files in `folder` (none when it is missing). */
  icdFiles(folder: string): string[];
  /** The adapter Dawn gives with VK_ICD_FILENAMES = `icd` (undefined: unset), or null for none. */
  adapter(icd: string | undefined): Promise<AdapterInfo | null>;
}

const builtin = <T>(name: string): T => process.getBuiltinModule(name) as T;

/** A child Node that loads Dawn from INV_DAWN_URL, asks for an adapter and prints its info as JSON (or null). */
const PROBE = `
const loaded = await import(process.env.INV_DAWN_URL);
const dawn = loaded.default ?? loaded;
const adapter = await dawn.create([]).requestAdapter();
const info = adapter === null ? null : (adapter.info ?? {});
process.stdout.write(JSON.stringify(info === null ? null : {
  vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description,
  isFallbackAdapter: adapter.isFallbackAdapter ?? info.isFallbackAdapter,
}));
process.exit(0);
`;

/** The machine as it is: files, folders, and a child process per candidate driver. */
export function machineProbe(dawnUrl: string): DriverProbe {
  const fs = builtin<typeof Fs>('node:fs');
  const { execFile } = builtin<typeof ChildProcess>('node:child_process');
  return {
    env: process.env,
    exists: (path) => fs.existsSync(path),
    icdFiles: (folder) =>
      fs.existsSync(folder)
        ? fs
            .readdirSync(folder)
            .filter((f) => f.endsWith('.json'))
            .map((f) => `${folder}/${f}`)
        : [],
    adapter: (icd) =>
      new Promise((resolve) => {
        const env: NodeJS.ProcessEnv = { ...process.env, INV_DAWN_URL: dawnUrl };
        if (icd === undefined) delete env['VK_ICD_FILENAMES'];
        else env['VK_ICD_FILENAMES'] = icd;
        execFile(
          process.execPath,
          ['--input-type=module', '-e', PROBE],
          { env, timeout: 60_000 },
          (error, stdout) => {
            if (error !== null) return resolve(null);
            try {
              resolve(JSON.parse(stdout) as AdapterInfo | null);
            } catch {
              resolve(null);
            }
          },
        );
      }),
  };
}

/** The file URL of the `webgpu` package as this module resolves it, or an error saying how to install it. */
export function dawnUrl(): string {
  const { createRequire } = builtin<typeof Module>('node:module');
  try {
    const path = createRequire(import.meta.url).resolve('webgpu');
    return builtin<typeof Url>('node:url').pathToFileURL(path).href;
  } catch {
    throw new Error(
      "WebGPU in Node needs Dawn, the npm package 'webgpu' (an optional dependency of @inv/core): npm install webgpu",
    );
  }
}

/**
 * The Vulkan driver for Dawn: the user's `VK_DRIVER_FILES` or `VK_ICD_FILENAMES` as given; else the system's
 * registered drivers if they give an adapter; else the first known GPU driver, then software driver, that
 * does (then set as `VK_ICD_FILENAMES` in `probe.env`). Where none does, an error naming what is missing and
 * how to install it.
 */
export async function chooseVulkanDriver(probe: DriverProbe): Promise<VulkanDriver> {
  for (const variable of DRIVER_VARIABLES) {
    const given = probe.env[variable];
    if (given !== undefined && given !== '') return { icd: given, source: variable, adapter: {} };
  }
  const registered = ICD_FOLDERS.flatMap((folder) => probe.icdFiles(folder));
  if (registered.length > 0) {
    const adapter = await probe.adapter(undefined);
    if (adapter !== null) return { source: 'system', adapter };
  }
  const known = [
    ...VENDOR_ICDS.map(({ icd }) => ({ icd, source: 'vendor' as const })),
    ...SOFTWARE_ICDS.map(({ icd }) => ({ icd, source: 'software' as const })),
  ];
  for (const { icd, source } of known.filter(({ icd }) => probe.exists(icd))) {
    const adapter = await probe.adapter(icd);
    if (adapter !== null) {
      probe.env['VK_ICD_FILENAMES'] = icd;
      return { icd, source, adapter };
    }
  }
  const loader = LOADER_FOLDERS.some((folder) => probe.exists(`${folder}/${LOADER}`));
  const found =
    registered.length > 0
      ? `the registered ones (${registered.join(', ')}) gave no adapter`
      : `none is registered in ${ICD_FOLDERS.join(', ')}`;
  throw new Error(
    loader
      ? `no usable Vulkan driver for WebGPU: ${found}, and no software one is installed. A GPU's driver ` +
          'registers its own (e.g. NVIDIA: nvidia_icd.json with the driver); without a GPU, install a ' +
          'software one (Debian/Ubuntu: apt install mesa-vulkan-drivers, or chromium for SwiftShader), ' +
          'or point VK_DRIVER_FILES (or VK_ICD_FILENAMES) at an ICD file'
      : `no Vulkan loader (${LOADER}) for WebGPU: install it (Debian/Ubuntu: apt install libvulkan1) and a ` +
          "driver (a GPU's own, or without one: apt install mesa-vulkan-drivers)",
  );
}

/** One line on the chosen driver, for the backend's log. */
export function describeDriver(driver: VulkanDriver): string {
  const adapter = driver.adapter.description ?? driver.adapter.device ?? driver.adapter.vendor;
  const named = [...VENDOR_ICDS, ...SOFTWARE_ICDS].find((s) => s.icd === driver.icd)?.name ?? driver.icd;
  const gave = adapter === undefined ? '' : ` (${adapter})`;
  switch (driver.source) {
    case 'VK_DRIVER_FILES':
    case 'VK_ICD_FILENAMES':
      return `Vulkan driver from ${driver.source}=${driver.icd}`;
    case 'system':
      return `Vulkan driver: the system's${gave}`;
    case 'vendor':
      return `Vulkan driver: ${named}${gave}`;
    case 'software':
      return `Vulkan driver: ${named}${gave}, no other found`;
  }
}
