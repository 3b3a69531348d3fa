import { LabError } from '../errors/lab-error.ts';

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
