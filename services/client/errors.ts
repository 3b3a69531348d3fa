/** A client error's stable code: callers and tests match on it (docs/ERRORS.md lists each one). */
export type ClientErrorCode = `CLIENT_ERR_${string}`;

/** The base of every error the client raises itself; abstract, so each code has its own class. */
export abstract class ClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ConnectError extends ClientError {
  constructor(
    readonly target: string,
    reason: string,
  ) {
    super('CLIENT_ERR_CONNECT', `Can't connect to ${target}: ${reason}`);
  }
}

export class SaveExistsError extends ClientError {
  constructor(readonly path: string) {
    super('CLIENT_ERR_SAVE_EXISTS', `${path} already exists. Choose another name.`);
  }
}

export class SaveFailedError extends ClientError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super('CLIENT_ERR_SAVE_FAILED', `Can't save as ${path}: ${reason}. Choose another name.`);
  }
}

export class TempFileError extends ClientError {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super('CLIENT_ERR_TEMP_FILE', `Can't create a temporary file in ${dir}: ${reason}`);
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'host not found',
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'file exists',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
};

/** The reason of an error in words a user can act upon, without a stack. */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  return error.message;
}
