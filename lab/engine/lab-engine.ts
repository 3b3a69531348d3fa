import Docker from 'dockerode';
import { ensureAppImage } from './app-image.ts';
import {
  defaultEndpoint,
  dockerodeOptions,
  endpointFromUrl,
  EngineUrlError,
  isLocalSocket,
  type EngineEndpoint,
} from './engine-endpoint.ts';
import { ensureLabImage } from './ensure-lab-image.ts';
import { copyImage } from './image-transfer.ts';
import { DockerUnavailableError } from './engine-errors.ts';
import { oncePerProcess } from './once-per-process.ts';

/**
 * One Docker engine the lab runs scenarios on, local or remote. It owns the engine's client and
 * makes sure the engine holds the images a topology needs: the lab image (tools), and the app
 * image (the working tree's code on top), both brought in through the Docker API alone.
 */
export class LabEngine {
  readonly docker: Docker;
  /** The lab image (tools only) is on this engine: built here, or loaded from `imageSource`. */
  readonly labImage: () => Promise<string>;
  /** The image every lab container runs: the lab image plus the working tree's code. */
  readonly appImage: () => Promise<string>;

  constructor(
    readonly endpoint: EngineEndpoint,
    /** Where the lab image comes from when this engine lacks it; none for the engine that builds it. */
    private readonly imageSource?: LabEngine,
    /** The engine the docker CLI reaches by its own defaults (DOCKER_HOST or a context): its env is left as it is. */
    private readonly isCliDefault = false,
  ) {
    this.docker = new Docker(dockerodeOptions(endpoint));
    this.labImage = oncePerProcess(() => this.bringLabImage());
    this.appImage = oncePerProcess(async () => ensureAppImage(this.docker, await this.labImage()));
  }

  get url(): string {
    return this.endpoint.url;
  }

  /** True for this machine's own engine: the only one the lab may install, start, or reach with the CLI's defaults. */
  get isLocal(): boolean {
    return isLocalSocket(this.endpoint);
  }

  /** The environment under which the docker CLI (the project's scripts) reaches this engine. */
  cliEnv(): NodeJS.ProcessEnv {
    if (this.isCliDefault) return process.env;
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: this.url };
    delete env.DOCKER_CONTEXT;
    return env;
  }

  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (err) {
      throw new DockerUnavailableError(`${this.url}: ${(err as Error).message}`, { cause: err });
    }
  }

  private async bringLabImage(): Promise<string> {
    if (!this.imageSource) return ensureLabImage(this);
    await this.ping();
    const tag = await this.imageSource.labImage();
    await copyImage(this.imageSource.docker, this.docker, tag);
    return tag;
  }
}

let defaultEngine: LabEngine | undefined;

/** The engine DOCKER_HOST or the Docker context names, as for the docker CLI; the local socket otherwise. */
export function localOrDefaultEngine(): LabEngine {
  defaultEngine ??= new LabEngine(defaultEndpoint(), undefined, true);
  return defaultEngine;
}

/**
 * The engines of `--engine` (in order), or the default one. The first builds the lab image with
 * the project's scripts; the others receive it from the first through the API (no registry).
 */
export function labEngines(urls: readonly string[]): LabEngine[] {
  if (urls.length === 0) return [localOrDefaultEngine()];
  const twice = urls.find((u, i) => urls.indexOf(u) !== i);
  if (twice)
    throw new EngineUrlError(twice, 'is named twice', '(--jobs sets how many scenarios one engine runs at once)');
  const first = new LabEngine(endpointFromUrl(urls[0]));
  return [first, ...urls.slice(1).map((url) => new LabEngine(endpointFromUrl(url), first))];
}
