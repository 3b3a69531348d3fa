import type Docker from 'dockerode';
import { localOrDefaultEngine } from './lab-engine.ts';

/** The default engine's client (DOCKER_HOST, the Docker context, or the local socket, as the CLI picks). */
export function dockerClient(): Docker {
  return localOrDefaultEngine().docker;
}
