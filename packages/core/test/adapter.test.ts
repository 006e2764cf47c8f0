import { describe, expect, it } from 'vitest';
import { softwareAdapterReason } from '../src/index.js';

describe('softwareAdapterReason', () => {
  it('names SwiftShader as Dawn reports it', () => {
    expect(
      softwareAdapterReason({
        vendor: 'google',
        architecture: 'swiftshader',
        device: 'swiftshader-device-subzero-',
        description: 'SwiftShader driver 5.0.0',
      }),
    ).toBe('google, swiftshader, swiftshader-device-subzero-, SwiftShader driver 5.0.0');
  });

  it('recognises Mesa llvmpipe and lavapipe, whatever the field', () => {
    expect(softwareAdapterReason({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(
      'mesa, llvmpipe (LLVM 15.0.6, 256 bits)',
    );
    expect(softwareAdapterReason({ vendor: 'mesa', device: 'lavapipe' })).toBe('mesa, lavapipe');
  });

  it('trusts the fallback flag even without a known name', () => {
    expect(softwareAdapterReason({ vendor: 'acme', isFallbackAdapter: true })).toBe('fallback adapter: acme');
    expect(softwareAdapterReason({ isFallbackAdapter: true })).toBe('fallback adapter: no adapter info');
  });

  it('passes real GPUs', () => {
    expect(
      softwareAdapterReason({
        vendor: 'nvidia',
        architecture: 'hopper',
        description: 'NVIDIA H100 80GB HBM3',
      }),
    ).toBeNull();
    expect(
      softwareAdapterReason({ vendor: 'apple', architecture: 'metal-3', isFallbackAdapter: false }),
    ).toBeNull();
    expect(softwareAdapterReason({ vendor: 'intel', architecture: 'gen-12lp', device: '' })).toBeNull();
  });
});
