/** What went wrong, as a stable code callers and tests can branch on (the message says it in words). */
export type DataErrorCode =
  | 'MISSING_DATA'
  | 'UNREADABLE_FILE'
  | 'BAD_FILE_SIZE'
  | 'BAD_LABEL'
  | 'BAD_META'
  | 'CHECKSUM_MISMATCH'
  | 'DOWNLOAD_TRUNCATED'
  | 'DOWNLOAD_FAILED'
  | 'BAD_ARCHIVE'
  | 'BAD_OPTION';

/** Every error @inv/data raises on bad input: a specific `code` and a message naming what, where and what was expected. */
export class DataError extends Error {
  override readonly name = 'DataError';

  constructor(
    readonly code: DataErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
