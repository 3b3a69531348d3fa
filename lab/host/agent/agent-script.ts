import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

let cached: string | undefined;

/** The host agent (host-agent.ts) bundled into one CommonJS script with the types stripped, for `node -e`. */
export function agentScript(): string {
  cached ??= buildSync({
    entryPoints: [fileURLToPath(new URL('./host-agent.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    write: false,
    logLevel: 'silent',
  }).outputFiles[0].text;
  return cached;
}

/**
 * A container command that runs `setUp` (a shell script; `$1`… are `args`) and then becomes the
 * host's agent. The script comes inside the command, so any image with Node runs it, on any engine.
 */
export function agentCommand(setUp = 'true', args: readonly string[] = []): string[] {
  const n = args.length + 1;
  return ['sh', '-c', `${setUp}\nexec node -e "\${${n}}"`, 'lab-host', ...args, agentScript()];
}
