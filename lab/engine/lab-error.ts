/** Every lab failure carries a stable `code` that results and tests can match on. */
export class LabError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class DockerUnavailableError extends LabError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('LAB_ERR_DOCKER_UNAVAILABLE', `no Docker engine answers: ${detail}`, options);
  }
}

export class ImageBuildError extends LabError {
  constructor(detail: string) {
    super('LAB_ERR_IMAGE_BUILD', `the lab image could not be built: ${detail}`);
  }
}
