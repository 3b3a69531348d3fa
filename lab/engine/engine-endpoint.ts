import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { LabError } from '../errors/lab-error.ts';

/** Where a Docker engine answers, as the Docker CLI names it: `unix:///…`, `tcp://host:port`, `ssh://user@host`. */
export interface EngineEndpoint {
  url: string;
  /** TLS material for tcp:// (from DOCKER_CERT_PATH or the context's tls folder). */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; verify: boolean };
}

export const LOCAL_SOCKET_URL = 'unix:///var/run/docker.sock';

export class EngineUrlError extends LabError {
  constructor(url: string, why: string, hint = '(expected unix:///path, tcp://host:port or ssh://user@host)') {
    super('LAB_ERR_ENGINE_URL', `engine ${JSON.stringify(url)}: ${why} ${hint}`);
  }
}

/** DOCKER_CONTEXT or the CLI's current context names a context the CLI's config does not hold. */
export class DockerContextError extends LabError {
  constructor(name: string, why: string) {
    super('LAB_ERR_DOCKER_CONTEXT', `Docker context ${JSON.stringify(name)} ${why}`);
  }
}

/**
 * The engine the Docker CLI would talk to: DOCKER_HOST, else the context named by DOCKER_CONTEXT or
 * by `currentContext` in the CLI's config.json, else the local socket. docker-modem reads
 * DOCKER_HOST only; contexts are how `docker context use` users point at a shared machine.
 */
export function defaultEndpoint(env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  if (env.DOCKER_HOST) return endpointFromUrl(env.DOCKER_HOST, env);
  const configDir = env.DOCKER_CONFIG ?? path.join(homedir(), '.docker');
  const context = env.DOCKER_CONTEXT ?? currentContext(configDir);
  if (context && context !== 'default') return contextEndpoint(configDir, context);
  return { url: LOCAL_SOCKET_URL };
}

/** An --engine argument; a tcp:// endpoint takes TLS from DOCKER_TLS_VERIFY / DOCKER_CERT_PATH as the CLI does. */
export function endpointFromUrl(url: string, env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  const full = url.includes('://') ? url : `tcp://${url}`;
  const scheme = full.slice(0, full.indexOf('://'));
  if (!['unix', 'tcp', 'ssh', 'http', 'https'].includes(scheme))
    throw new EngineUrlError(url, `unknown scheme ${scheme}`);
  if (scheme === 'unix') {
    if (full.length <= 'unix://'.length) throw new EngineUrlError(url, 'no socket path');
    return { url: full };
  }
  let parsed: URL;
  try {
    parsed = new URL(full);
  } catch {
    throw new EngineUrlError(url, 'not a URL');
  }
  if (!parsed.hostname) throw new EngineUrlError(url, 'no host');
  if (scheme !== 'tcp' && scheme !== 'https') return { url: full };
  const certDir = env.DOCKER_CERT_PATH;
  const verify = env.DOCKER_TLS_VERIFY === '1' || scheme === 'https';
  if (!verify && !certDir) return { url: full };
  const read = (name: string) =>
    certDir && existsSync(path.join(certDir, name)) ? readFileSync(path.join(certDir, name)) : undefined;
  return { url: full, tls: { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem'), verify } };
}

/** Options for `new Docker(…)` that name this endpoint alone, whatever DOCKER_HOST says. */
export function dockerodeOptions(endpoint: EngineEndpoint): Docker.DockerOptions {
  const { url } = endpoint;
  // docker-modem merges its own reading of DOCKER_HOST under these: every field is set, so none leaks in.
  const none = { host: undefined, port: undefined, socketPath: undefined, protocol: undefined, ca: undefined };
  if (url.startsWith('unix://')) return { ...none, socketPath: url.slice('unix://'.length) };
  const parsed = new URL(url);
  if (parsed.protocol === 'ssh:') {
    return {
      ...none,
      protocol: 'ssh',
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : 22,
      username: decodeURIComponent(parsed.username) || undefined,
      sshOptions: { agent: process.env.SSH_AUTH_SOCK },
    };
  }
  const tls = endpoint.tls;
  return {
    ...none,
    protocol: tls ? 'https' : 'http',
    host: parsed.hostname,
    port: Number(parsed.port || (tls ? 2376 : 2375)),
    ...(tls ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}),
  };
}

/** True when the engine is this machine's own default socket: the only one the lab may install and start. */
export function isLocalSocket(endpoint: EngineEndpoint): boolean {
  return endpoint.url === LOCAL_SOCKET_URL || endpoint.url === 'unix://';
}

function currentContext(configDir: string): string | undefined {
  try {
    const config = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { currentContext?: string };
    return config.currentContext;
  } catch {
    return undefined;
  }
}

interface ContextMeta {
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

// The CLI keeps a context under the SHA-256 of its name: contexts/meta/<id>/meta.json, contexts/tls/<id>/docker/*.pem.
function contextEndpoint(configDir: string, name: string): EngineEndpoint {
  const id = createHash('sha256').update(name).digest('hex');
  const metaFile = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  let meta: ContextMeta;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8')) as ContextMeta;
  } catch {
    throw new DockerContextError(name, `is not defined (no ${metaFile})`);
  }
  const host = meta.Endpoints?.docker?.Host;
  if (!host) throw new DockerContextError(name, 'names no docker endpoint');
  const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
  if (!host.startsWith('tcp://') || !existsSync(tlsDir)) return { url: host };
  const read = (f: string) => (existsSync(path.join(tlsDir, f)) ? readFileSync(path.join(tlsDir, f)) : undefined);
  return {
    url: host,
    tls: {
      ca: read('ca.pem'),
      cert: read('cert.pem'),
      key: read('key.pem'),
      verify: !meta.Endpoints?.docker?.SkipTLSVerify,
    },
  };
}
