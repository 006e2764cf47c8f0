/** A run folder: config.json, history.jsonl (one line per finished epoch), metrics.json, checkpoints/. */
import { access, appendFile, constants, mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TEMP_MARKER, writeFileAtomic } from './atomic.js';
import { CONFIG_FILE } from './config.js';
import { describeFsError, readOptionalRunFile, sha256 } from './files.js';

/** One finished epoch, as a line of history.jsonl. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  /**
   * null when the test loss was not finite (JSON has no NaN): an evaluation-mode overflow, with the weights
   * still finite and the training loss too, is reported and the run goes on.
   */
  val_loss: number | null;
  val_accuracy: number;
  seconds: number;
  images_per_second: number;
  /** The weight average's test loss and accuracy (runs with `ema`). */
  average_val_loss?: number | null;
  average_val_accuracy?: number;
}

export const HISTORY_FILE = 'history.jsonl';
const RECORD_FIELDS = [
  'epoch',
  'loss',
  'accuracy',
  'val_loss',
  'val_accuracy',
  'seconds',
  'images_per_second',
];

/**
 * Checks that `out` can take a run, without creating anything: with `resume` it must hold one (config.json);
 * without, it must be absent or empty (temporary files a crash left count as empty), so no run is overwritten.
 */
export async function checkRunDir(out: string, resume: boolean): Promise<string> {
  const dir = resolve(out);
  let entries: string[] | null = null;
  try {
    entries = (await readdir(dir)).filter((entry) => !entry.includes(TEMP_MARKER));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`--out ${dir}: cannot read it (${describeFsError(error)})`);
  }
  if (resume) {
    if (entries === null || !entries.includes(CONFIG_FILE)) {
      throw new Error(
        `--resume: ${dir} holds no run to resume (no ${CONFIG_FILE}); start one without --resume`,
      );
    }
  } else if (entries !== null && entries.length > 0) {
    throw new Error(
      `--out ${dir} is not empty; pass --resume to continue the run there, or choose another --out`,
    );
  }
  return dir;
}

/** Creates the (checked) run folder once the data and the backend are known to work. */
export async function createRunDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    // Temporary files of a crashed start (config.json.tmp-…) go; the run is written anew.
    for (const entry of await readdir(dir))
      if (entry.includes(TEMP_MARKER)) await rm(join(dir, entry), { recursive: true, force: true });
  } catch (error) {
    throw new Error(`--out ${dir} is not writable: ${describeFsError(error)}`);
  }
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** What history.jsonl holds: its records, and whether a last line was torn by a crash mid-append. */
export interface HistoryFile {
  records: EpochRecord[];
  tornLastLine: boolean;
}

/** The field that holds null for a non-finite value (see `EpochRecord.val_loss`). */
const NULLABLE_FIELD = 'val_loss';

function checkRecord(value: unknown, where: string): EpochRecord {
  const record = value as Record<string, unknown>;
  const bad = RECORD_FIELDS.find(
    (f) => typeof record?.[f] !== 'number' && !(f === NULLABLE_FIELD && record?.[f] === null),
  );
  if (bad !== undefined)
    throw new Error(`${where}: '${bad}' is missing or not a number; expected an epoch record`);
  return record as unknown as EpochRecord;
}

/**
 * Reads history.jsonl (none: no epochs). Lines are appended whole, so only the last one can be partial (a crash
 * mid-append): it is reported, not fatal. A bad line before it is an error naming the line.
 */
export async function readHistoryFile(runDir: string): Promise<HistoryFile> {
  const path = join(runDir, HISTORY_FILE);
  const text = (await readOptionalRunFile(path, 'one JSON epoch record per line'))?.toString('utf8') ?? '';
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const records = lines
    .map((line, i) => [line, i + 1] as const)
    .filter(([line]) => line.trim() !== '')
    .map(([line, n]) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error(`${path} line ${n} is not JSON; expected one epoch record per line`);
      }
      return checkRecord(value, `${path} line ${n}`);
    });
  return { records, tornLastLine: last.trim() !== '' };
}

/** The finished epochs of a run, up to `upToEpoch` (a resumed run drops those it will redo). */
export async function readHistory(runDir: string, upToEpoch = Infinity): Promise<EpochRecord[]> {
  return (await readHistoryFile(runDir)).records.filter((record) => record.epoch <= upToEpoch);
}

/** The SHA-256 of `records` as history.jsonl holds them: what a checkpoint records of the history before it. */
export function historyDigest(records: EpochRecord[]): string {
  return sha256(historyText(records));
}

const historyText = (records: EpochRecord[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');

/** Fails, naming history.jsonl, unless its epochs up to a checkpoint's are those the checkpoint recorded. */
export function checkHistoryDigest(
  runDir: string,
  records: EpochRecord[],
  recorded: string,
  checkpoint: string,
): void {
  if (historyDigest(records) !== recorded)
    throw new Error(
      `${join(runDir, HISTORY_FILE)}: its ${records.length} epoch record(s) are not those checkpoint ${checkpoint} was written after (SHA-256 differs); the file was changed or damaged`,
    );
}

/** Rewrites history.jsonl to exactly `records` (after a resume, which also drops a torn last line) atomically. */
export async function writeHistory(runDir: string, records: EpochRecord[]): Promise<void> {
  await writeFileAtomic(join(runDir, HISTORY_FILE), historyText(records));
}

export async function appendHistory(runDir: string, record: EpochRecord): Promise<void> {
  const path = join(runDir, HISTORY_FILE);
  try {
    await appendFile(path, `${JSON.stringify(record)}\n`);
  } catch (error) {
    throw new Error(`cannot write ${path}: ${describeFsError(error)}`);
  }
}
