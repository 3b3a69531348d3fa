import Docker from 'dockerode';

let client: Docker | undefined;

/** One Dockerode per process; it honours DOCKER_HOST like the CLI does. */
export function dockerClient(): Docker {
  client ??= new Docker();
  return client;
}
