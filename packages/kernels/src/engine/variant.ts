import { engineWasm, type EngineWasmVariant } from './wasm/engine_wasm.js';

/** The compiled engine module and which variant of engine.wat it is. */
export interface EngineModule {
  readonly module: WebAssembly.Module;
  readonly variant: EngineWasmVariant;
  /** Multiply-adds fused (relaxed SIMD): rounding differs from mul + add, so one choice holds per process. */
  readonly fma: boolean;
  /** Imports a shared memory (for the worker pool). */
  readonly shared: boolean;
}

let fmaSupport: boolean | undefined;

/**
 * Whether this runtime takes relaxed SIMD, decided once per process. Node 20 (V8 11.3) has it behind
 * `--experimental-wasm-relaxed-simd`, which V8 accepts at run time before the module is compiled (a
 * process-wide flag, so worker threads see it too); Node ≥ 22 and Chrome ≥ 114 have it by default.
 */
export function fmaSupported(): boolean {
  if (fmaSupport === undefined) {
    fmaSupport = WebAssembly.validate(engineWasm.fma);
    if (!fmaSupport) {
      const v8 = (
        globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
      ).process?.getBuiltinModule?.('node:v8') as { setFlagsFromString(flags: string): void } | undefined;
      v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
      fmaSupport = WebAssembly.validate(engineWasm.fma);
    }
  }
  return fmaSupport;
}

const compiled = new Map<EngineWasmVariant, EngineModule>();

/**
 * The engine module for a shared (worker pool) or private memory: the FMA variant where it validates (2× the
 * peak of separate mul + add on FMA hardware) unless `fma: false` asks for the plain one.
 */
export function engineModule(options: { shared: boolean; fma?: boolean }): EngineModule {
  const { variant, fma } = chooseVariant(options);
  let found = compiled.get(variant);
  if (found === undefined) {
    found = { module: new WebAssembly.Module(engineWasm[variant]), variant, fma, shared: options.shared };
    compiled.set(variant, found);
  }
  return found;
}

/**
 * {@link engineModule}, compiled asynchronously: browsers refuse to compile a module over 4 kB synchronously
 * on the main thread (the engine is about 7 kB), so a page compiles it this way before the first kernel.
 */
export async function compileEngineModule(options: {
  shared: boolean;
  fma?: boolean;
}): Promise<EngineModule> {
  const { variant, fma } = chooseVariant(options);
  const found = compiled.get(variant) ?? {
    module: await WebAssembly.compile(engineWasm[variant]),
    variant,
    fma,
    shared: options.shared,
  };
  compiled.set(variant, found);
  return found;
}

function chooseVariant(options: { shared: boolean; fma?: boolean }): {
  variant: EngineWasmVariant;
  fma: boolean;
} {
  const fma = options.fma ?? fmaSupported();
  if (fma && !fmaSupported()) {
    throw new Error('engineModule: fma was asked for, but this runtime does not validate relaxed SIMD');
  }
  const variant: EngineWasmVariant = fma
    ? options.shared
      ? 'fmaShared'
      : 'fma'
    : options.shared
      ? 'shared'
      : 'plain';
  return { variant, fma };
}
