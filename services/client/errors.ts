/** Errors the client raises itself; `code` is stable so callers and tests can match on it. */
export class ClientError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ConnectError extends ClientError {
  constructor(readonly target: string, reason: string) {
    super('CLIENT_ERR_CONNECT', `Can't connect to ${target}: ${reason}`);
  }
}

export class NotConnectedError extends ClientError {
  constructor() {
    super('CLIENT_ERR_NOT_CONNECTED', 'Not connected to a server');
  }
}

export class SaveExistsError extends ClientError {
  constructor(readonly path: string) {
    super('CLIENT_ERR_SAVE_EXISTS', `${path} already exists. Choose another name.`);
  }
}

export class SaveFailedError extends ClientError {
  constructor(readonly path: string, reason: string) {
    super('CLIENT_ERR_SAVE_FAILED', `Can't save as ${path}: ${reason}. Choose another name.`);
  }
}

export class TempFileError extends ClientError {
  constructor(readonly dir: string, reason: string) {
    super('CLIENT_ERR_TEMP_FILE', `Can't create a temporary file in ${dir}: ${reason}`);
  }
}

/** The reason of a Node system error, without its stack: what a user can act upon. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const text = error.message.replace(/^[A-Z]+: /, '');
    return code && !text.includes(code) ? `${text} (${code})` : text;
  }
  return String(error);
}
