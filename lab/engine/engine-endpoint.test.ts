import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEndpoint, dockerodeOptions, endpointFromUrl, isLocalSocket } from './engine-endpoint.ts';

let config: string;

beforeAll(async () => {
  config = await mkdtemp(path.join(tmpdir(), 'engine-endpoint-'));
  const addContext = async (name: string, host: string, tls?: Record<string, string>) => {
    const id = createHash('sha256').update(name).digest('hex');
    await mkdir(path.join(config, 'contexts', 'meta', id), { recursive: true });
    await writeFile(
      path.join(config, 'contexts', 'meta', id, 'meta.json'),
      JSON.stringify({ Name: name, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }),
    );
    if (tls) {
      await mkdir(path.join(config, 'contexts', 'tls', id, 'docker'), { recursive: true });
      for (const [file, text] of Object.entries(tls))
        await writeFile(path.join(config, 'contexts', 'tls', id, 'docker', file), text);
    }
  };
  await addContext('shared', 'ssh://lab@build-box');
  await addContext('secure', 'tcp://10.0.0.5:2376', { 'ca.pem': 'CA', 'cert.pem': 'CERT', 'key.pem': 'KEY' });
  await writeFile(path.join(config, 'config.json'), JSON.stringify({ currentContext: 'shared' }));
});

afterAll(() => rm(config, { recursive: true, force: true }));

describe('the engine the lab talks to', () => {
  it('is the one DOCKER_HOST names, before any context', () => {
    expect(defaultEndpoint({ DOCKER_HOST: 'tcp://127.0.0.1:2375', DOCKER_CONFIG: config }).url).toBe(
      'tcp://127.0.0.1:2375',
    );
  });

  it("follows the Docker CLI's context: DOCKER_CONTEXT first, then currentContext in config.json", () => {
    expect(defaultEndpoint({ DOCKER_CONFIG: config }).url).toBe('ssh://lab@build-box');
    const secure = defaultEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'secure' });
    expect(secure.url).toBe('tcp://10.0.0.5:2376');
    expect(secure.tls?.ca?.toString()).toBe('CA');
    expect(secure.tls?.verify).toBe(true);
    expect(defaultEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'default' }).url).toBe(
      'unix:///var/run/docker.sock',
    );
  });

  it('says which context is missing instead of silently using another engine', () => {
    expect(() => defaultEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'gone' })).toThrow(
      /Docker context "gone" is not defined/,
    );
  });

  it('is the local socket when nothing names another', () => {
    const e = defaultEndpoint({ DOCKER_CONFIG: path.join(config, 'nowhere') });
    expect(e.url).toBe('unix:///var/run/docker.sock');
    expect(isLocalSocket(e)).toBe(true);
  });
});

describe('an --engine URL', () => {
  it('gives dockerode options for that engine alone, whatever DOCKER_HOST says', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'tcp://elsewhere:2375';
    try {
      expect(dockerodeOptions(endpointFromUrl('unix:///run/other.sock', {}))).toMatchObject({
        socketPath: '/run/other.sock',
        host: undefined,
      });
      expect(dockerodeOptions(endpointFromUrl('tcp://127.0.0.1:23750', {}))).toMatchObject({
        protocol: 'http',
        host: '127.0.0.1',
        port: 23750,
        socketPath: undefined,
      });
      expect(dockerodeOptions(endpointFromUrl('127.0.0.1:23750', {}))).toMatchObject({ port: 23750 });
      expect(dockerodeOptions(endpointFromUrl('ssh://ci@runner:2222', {}))).toMatchObject({
        protocol: 'ssh',
        host: 'runner',
        port: 2222,
        username: 'ci',
      });
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  it('takes TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, as the CLI does', async () => {
    const certs = path.join(config, 'certs');
    await mkdir(certs, { recursive: true });
    await writeFile(path.join(certs, 'ca.pem'), 'ca');
    const e = endpointFromUrl('tcp://box:2376', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    expect(e.tls?.ca?.toString()).toBe('ca');
    expect(dockerodeOptions(e)).toMatchObject({ protocol: 'https', port: 2376 });
  });

  it('refuses what is not an engine address, with a coded error', () => {
    expect(() => endpointFromUrl('ftp://box', {})).toThrow(expect.objectContaining({ code: 'LAB_ERR_ENGINE_URL' }));
    expect(() => endpointFromUrl('unix://', {})).toThrow(/no socket path/);
    expect(() => endpointFromUrl('tcp://', {})).toThrow(/engine "tcp:\/\/"/);
  });
});
