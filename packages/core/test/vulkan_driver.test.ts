/**
 * Choosing Dawn's Vulkan driver: the order (the user's VK_DRIVER_FILES or VK_ICD_FILENAMES, the system's
 * registered drivers, known GPU drivers elsewhere, the known software ones), the errors that say what is missing, and on this machine (SwiftShader on CI) webgpu
 * starting with no VK_ICD_FILENAMES (apps/trainer's webgpu_start test checks a CLI run prints no Dawn warning).
 */
import { existsSync, readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeSelection, initBackend } from '../src/index.js';
import {
  chooseVulkanDriver,
  describeDriver,
  SOFTWARE_ICDS,
  VENDOR_ICDS,
  type DriverProbe,
} from '../src/backend/vulkan_driver.js';

const SWIFTSHADER = SOFTWARE_ICDS[0]!.icd;
const NVIDIA_CONTAINER = VENDOR_ICDS[0]!.icd;
const GPU = { vendor: 'nvidia', description: 'NVIDIA H200' };
const CPU = { vendor: 'google', description: 'SwiftShader driver 5.0.0' };

/** A machine with these files and registered ICDs, whose drivers give these adapters (by ICD, '' = system). */
function fakeMachine(
  files: string[],
  registered: Record<string, string[]>,
  adapters: Record<string, object>,
  env: Record<string, string | undefined> = {},
) {
  const tried: (string | undefined)[] = [];
  const probe: DriverProbe = {
    env,
    exists: (path) => files.includes(path),
    icdFiles: (folder) => registered[folder] ?? [],
    adapter: (icd) => {
      tried.push(icd);
      return Promise.resolve((adapters[icd ?? ''] as never) ?? null);
    },
  };
  return { probe, tried, env };
}

const LOADER = '/usr/lib/x86_64-linux-gnu/libvulkan.so.1';

describe('chooseVulkanDriver', () => {
  it("takes the user's VK_ICD_FILENAMES as given, trying nothing", async () => {
    const m = fakeMachine([], {}, {}, { VK_ICD_FILENAMES: '/opt/icd.json' });
    const driver = await chooseVulkanDriver(m.probe);
    expect(driver).toEqual({ icd: '/opt/icd.json', source: 'VK_ICD_FILENAMES', adapter: {} });
    expect(m.tried).toEqual([]);
    expect(describeDriver(driver)).toBe('Vulkan driver from VK_ICD_FILENAMES=/opt/icd.json');
  });

  it('takes VK_DRIVER_FILES (the newer name) before VK_ICD_FILENAMES, as the loader does', async () => {
    const m = fakeMachine([], {}, {}, { VK_DRIVER_FILES: '/a.json', VK_ICD_FILENAMES: '/b.json' });
    const driver = await chooseVulkanDriver(m.probe);
    expect(driver).toEqual({ icd: '/a.json', source: 'VK_DRIVER_FILES', adapter: {} });
    expect(m.tried).toEqual([]);
    expect(describeDriver(driver)).toBe('Vulkan driver from VK_DRIVER_FILES=/a.json');
  });

  it("finds NVIDIA's container driver outside the loader's folders, before a software one", async () => {
    const m = fakeMachine(
      [LOADER, NVIDIA_CONTAINER, SWIFTSHADER],
      {},
      {
        [NVIDIA_CONTAINER]: GPU,
        [SWIFTSHADER]: CPU,
      },
    );
    const driver = await chooseVulkanDriver(m.probe);
    expect(driver).toEqual({ icd: NVIDIA_CONTAINER, source: 'vendor', adapter: GPU });
    expect(m.tried).toEqual([NVIDIA_CONTAINER]);
    expect(m.env['VK_ICD_FILENAMES']).toBe(NVIDIA_CONTAINER);
    expect(describeDriver(driver)).toBe("Vulkan driver: NVIDIA's container driver (NVIDIA H200)");
  });

  it("prefers the system's registered drivers and leaves VK_ICD_FILENAMES unset", async () => {
    const m = fakeMachine(
      [LOADER, SWIFTSHADER],
      { '/usr/share/vulkan/icd.d': ['/usr/share/vulkan/icd.d/nvidia_icd.json'] },
      { '': GPU, [SWIFTSHADER]: CPU },
    );
    const driver = await chooseVulkanDriver(m.probe);
    expect(driver).toEqual({ source: 'system', adapter: GPU });
    expect(m.tried).toEqual([undefined]);
    expect(m.env['VK_ICD_FILENAMES']).toBeUndefined();
    expect(describeDriver(driver)).toBe("Vulkan driver: the system's (NVIDIA H200)");
  });

  it('falls back to a known software driver, and sets VK_ICD_FILENAMES to it', async () => {
    const m = fakeMachine(
      [LOADER, SWIFTSHADER],
      { '/etc/vulkan/icd.d': ['/etc/vulkan/icd.d/broken.json'] },
      { [SWIFTSHADER]: CPU },
    );
    const driver = await chooseVulkanDriver(m.probe);
    expect(driver).toEqual({ icd: SWIFTSHADER, source: 'software', adapter: CPU });
    expect(m.tried).toEqual([undefined, SWIFTSHADER]);
    expect(m.env['VK_ICD_FILENAMES']).toBe(SWIFTSHADER);
    expect(describeDriver(driver)).toBe(
      "Vulkan driver: Chromium's SwiftShader (SwiftShader driver 5.0.0), no other found",
    );
  });

  it('names the registered drivers that gave nothing and how to install one', async () => {
    const m = fakeMachine([LOADER], { '/etc/vulkan/icd.d': ['/etc/vulkan/icd.d/broken.json'] }, {});
    await expect(chooseVulkanDriver(m.probe)).rejects.toThrow(
      /^no usable Vulkan driver for WebGPU: the registered ones \(\/etc\/vulkan\/icd\.d\/broken\.json\) gave no adapter, .*apt install mesa-vulkan-drivers, or chromium for SwiftShader/,
    );
  });

  it('says where it looked when no driver is registered, and when the loader itself is missing', async () => {
    await expect(chooseVulkanDriver(fakeMachine([LOADER], {}, {}).probe)).rejects.toThrow(
      /none is registered in \/usr\/share\/vulkan\/icd\.d, \/usr\/local\/share\/vulkan\/icd\.d, \/etc\/vulkan\/icd\.d/,
    );
    await expect(chooseVulkanDriver(fakeMachine([], {}, {}).probe)).rejects.toThrow(
      /^no Vulkan loader \(libvulkan\.so\.1\) for WebGPU: install it \(Debian\/Ubuntu: apt install libvulkan1\)/,
    );
  });
});

// On CI setup.sh installs Chromium's SwiftShader; elsewhere a machine may have a GPU's driver instead.
const hasDriver =
  existsSync(SWIFTSHADER) ||
  ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'].some((f) => existsSync(f) && readdirSync(f).length > 0);

describe.runIf(process.platform === 'linux' && hasDriver)('webgpu on this machine', () => {
  it('starts without VK_ICD_FILENAMES and says which driver it found', async () => {
    expect(process.env['VK_ICD_FILENAMES']).toBeUndefined();
    const selection = await initBackend('webgpu');
    expect(selection.backend).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(selection.driver).toMatch(/^Vulkan driver: /);
    expect(describeSelection(selection)).toContain(`(${selection.driver!})`);
  });
});
