import type { CurveRecord, CurveRun } from '@inv/viz/browser';

/** The figures of an epoch record of `inv train`'s history.jsonl that the curves draw. */
const FIELDS = ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy'] as const;

/**
 * The epochs of one history.jsonl (`file` names it in errors). Lines are appended whole, so only the last one
 * can be torn by a crash mid-append: it is left out (and said), as `inv train --resume` does; a bad line
 * before it is an error naming the file and the line.
 */
export function parseHistory(text: string, file: string): { history: CurveRecord[]; tornLastLine: boolean } {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const history: CurveRecord[] = [];
  for (const [i, line] of lines.entries()) {
    let record: Record<string, unknown> | undefined;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      if (i === lines.length - 1 && i > 0) return { history, tornLastLine: true };
      throw new Error(
        `${file}, line ${i + 1}: not JSON; expected one epoch record of inv train's history.jsonl`,
      );
    }
    // inv train writes a test loss that was not finite as null (JSON has no NaN): a gap in the curve.
    const bad = FIELDS.find(
      (field) => typeof record?.[field] !== 'number' && !(field === 'val_loss' && record?.[field] === null),
    );
    if (bad !== undefined)
      throw new Error(
        `${file}, line ${i + 1}: '${bad}' is missing or not a number; expected an epoch record`,
      );
    history.push(record as unknown as CurveRecord);
  }
  if (history.length === 0)
    throw new Error(`${file}: no epoch records (a run's history.jsonl has one per epoch)`);
  return { history, tornLastLine: false };
}

/**
 * The name a picked file's run is shown under: its folder for a run's own `history.jsonl`, else the file name
 * without `.jsonl`; a name taken twice gets a number.
 */
export function runNames(paths: readonly string[]): string[] {
  const taken = new Map<string, number>();
  return paths.map((path) => {
    const parts = path.split('/').filter((p) => p !== '');
    const file = parts.at(-1) ?? path;
    const base = file === 'history.jsonl' && parts.length > 1 ? parts.at(-2)! : file.replace(/\.jsonl$/, '');
    const seen = (taken.get(base) ?? 0) + 1;
    taken.set(base, seen);
    return seen === 1 ? base : `${base} (${seen})`;
  });
}

/** The runs of the picked files: each a history.jsonl (others in a picked folder are passed over). */
export async function readRuns(files: readonly File[]): Promise<{ runs: CurveRun[]; notes: string[] }> {
  const picked = files.filter((f) => f.name.endsWith('.jsonl'));
  if (picked.length === 0)
    throw new Error(
      `no .jsonl file among the ${files.length} picked: pick the history.jsonl of runs made by inv train, or their folders`,
    );
  const paths = picked.map((f) => f.webkitRelativePath || f.name);
  const names = runNames(paths);
  const runs: CurveRun[] = [];
  const notes: string[] = [];
  for (const [i, file] of picked.entries()) {
    const { history, tornLastLine } = parseHistory(await file.text(), paths[i]!);
    if (tornLastLine) notes.push(`${paths[i]}: its last line was cut off mid-write and is left out`);
    runs.push({ name: names[i]!, history });
  }
  return { runs, notes };
}
