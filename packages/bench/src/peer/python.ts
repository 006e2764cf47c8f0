import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const execFileAsync = promisify(execFile);

/** `$INV_PEER_PYTHON`, `python3` on PATH, then `/usr/bin/python3` (a pyenv `python3` often lacks torch). */
export function defaultInterpreters(): string[] {
  const fromEnv = process.env['INV_PEER_PYTHON'];
  return [...new Set([...(fromEnv ? [fromEnv] : []), 'python3', '/usr/bin/python3'])];
}

/** A child process's failure in one line: "not found", else the last line of its stderr. */
export function failure(error: unknown): string {
  const e = error as { code?: unknown; stderr?: unknown; message?: unknown };
  if (e.code === 'ENOENT') return 'not found';
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim().split('\n').pop() : undefined;
  return stderr || String(e.message ?? error).split('\n')[0]!;
}

/** The first interpreter that imports torch, or why none did (each candidate with its error). */
export async function findTorchInterpreter(
  candidates: readonly string[] = defaultInterpreters(),
): Promise<{ python: string; torch: string } | { reason: string }> {
  const tried: string[] = [];
  for (const python of candidates) {
    try {
      const { stdout } = await execFileAsync(python, ['-c', 'import torch; print(torch.__version__)'], {
        timeout: 60_000,
      });
      return { python, torch: stdout.trim() };
    } catch (error) {
      tried.push(`${python}: ${failure(error)}`);
    }
  }
  return { reason: `no Python with torch (tried ${tried.join('; ')})` };
}
