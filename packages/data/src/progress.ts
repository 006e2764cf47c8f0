/** Progress of a load: bytes downloaded, or bytes of batch files read so far. `total` is undefined when unknown. */
export interface Progress {
  readonly phase: 'download' | 'read';
  readonly loaded: number;
  readonly total: number | undefined;
}

export type ProgressCallback = (progress: Progress) => void;
