import { LabError } from '../errors/lab-error.ts';

export class DockerUnavailableError extends LabError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('LAB_ERR_DOCKER_UNAVAILABLE', `no Docker engine answers: ${detail}`, options);
  }
}

/** A package the programs need at run time is not in node_modules, so the app image would lack it. */
export class DependencyMissingError extends LabError {
  constructor(name: string, neededBy: string) {
    super('LAB_ERR_DEPENDENCY_MISSING', `${name} (needed by ${neededBy}) is not installed: run npm ci`);
  }
}

export class ImageBuildError extends LabError {
  constructor(detail: string) {
    super('LAB_ERR_IMAGE_BUILD', `the lab image could not be built: ${detail}`);
  }
}
