/** The data phase of a run: both splits loaded, and checked against (or recorded as) the run's fingerprint. */
import { DataError, loadCifar10, type Cifar10Dataset } from '@inv/data';
import { checkDataFiles, fingerprintData, runSplits, type SplitRead } from '../run/data_files.js';

/** Where a command reads the data: a folder (undefined: INV_CIFAR10_DIR or the cache) and who named it. */
export interface DataSource {
  dir: string | undefined;
  /** `--data-dir`, or the config.json that recorded the folder (errors name it, so a bad path is traceable). */
  origin: string;
  /** The SHA-256 of each data file, from config.json (undefined: a new run, whose files are fingerprinted). */
  recorded: Record<string, string> | undefined;
}

/** @inv/data's message in the CLI's words: its options become the flags that set them. */
export function inCliWords(error: unknown): unknown {
  if (!(error instanceof DataError)) return error;
  const message = error.message
    .replace(/pass \{ dir \}/g, 'pass --data-dir DIR')
    .replace(/\(dir option\)/g, '(--data-dir)')
    .replace(
      /,? or pass \{ download: true \} to fetch (\S+) into (\S+?)\.?$/,
      ', or download $1 and pass --data-dir with it.',
    );
  return new DataError(error.code, message, { cause: error });
}

/** Loads `splits` from `source` and checks their files, naming where the folder came from when it fails. */
async function loadChecked(source: DataSource, splits: SplitRead[]): Promise<Cifar10Dataset[]> {
  try {
    const loaded = await Promise.all(splits.map((s) => loadCifar10({ dir: source.dir, ...s })));
    await checkDataFiles(source.dir, splits, source.recorded);
    return loaded;
  } catch (error) {
    const shown = inCliWords(error);
    if (source.origin === '--data-dir' || !(shown instanceof Error)) throw shown;
    throw new Error(`${shown.message} (the data folder is the one ${source.origin} records)`, {
      cause: error,
    });
  }
}

/** Loads both splits, saying how to get the data (in the CLI's flags) when it is missing. */
export async function loadSplits(
  dataDir: string | undefined,
  limit: number | undefined,
): Promise<{ train: Cifar10Dataset; test: Cifar10Dataset }> {
  const [train, test] = await loadChecked(
    { dir: dataDir, origin: '--data-dir', recorded: undefined },
    runSplits(limit),
  );
  return { train: train!, test: test! };
}

/**
 * Loads a run's data: the files must be those it was trained on when `source.recorded` says which; returns
 * their fingerprint for config.json.
 */
export async function loadRunData(
  source: DataSource,
  limit: number | undefined,
): Promise<{ train: Cifar10Dataset; test: Cifar10Dataset; dataSha256: Record<string, string> }> {
  const [train, test] = await loadChecked(source, runSplits(limit));
  return {
    train: train!,
    test: test!,
    dataSha256: source.recorded ?? (await fingerprintData(source.dir, runSplits(limit))),
  };
}

/** The test split for `evaluate`, checked against the run's fingerprint. */
export async function loadTestData(source: DataSource, limit: number | undefined): Promise<Cifar10Dataset> {
  const [test] = await loadChecked(source, [{ split: 'test', limit }]);
  return test!;
}
