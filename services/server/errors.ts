/** A server error's stable code: callers and tests match on it (docs/ERRORS.md lists each one). */
export type ServerErrorCode = `SERVER_ERR_${string}`;

/** The base of every error the server raises itself; abstract, so each code has its own class. */
export abstract class ServerError extends Error {
  constructor(
    readonly code: ServerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The file being sent is shorter than when its download began: the client is told, the server goes on. */
export class FileChangedError extends ServerError {
  constructor(message = 'The file changed while it was being sent') {
    super('SERVER_ERR_FILE_CHANGED', message);
  }
}

/** `--ports` that is no range of ports: the server does not start. */
export class PortRangeError extends ServerError {
  constructor(message: string) {
    super('SERVER_ERR_PORT_RANGE', message);
  }
}
