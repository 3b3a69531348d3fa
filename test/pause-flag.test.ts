import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The server, the client and the lab read --pause with one function: a value one of them takes and
// another refuses would let a client wait at a pause its server never makes.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const programs = {
  server: 'services/server/main.ts',
  client: 'services/client/main.ts',
  lab: 'scenarios/main.ts',
  analyze: 'lab/analyze/cli.ts',
};
const FLAG = { server: '--pause', client: '--pause', lab: '--server-pause', analyze: '--pause' };

function run(program: keyof typeof programs, value: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', programs[program], FLAG[program], value], {
    cwd: ROOT,
    encoding: 'utf8',
    input: '',
    timeout: 30_000,
  });
}

describe('--pause', () => {
  for (const program of Object.keys(programs) as (keyof typeof programs)[]) {
    it(`is refused the same way by ${program} for 0 and 101`, () => {
      for (const value of ['0', '101']) {
        const p = run(program, value);
        expect(p.status, `${program} ${value}: ${p.stderr}`).not.toBe(0);
        expect(p.stderr).toContain(
          `${FLAG[program]} <percent>' argument '${value}' is invalid. expected a whole number from 1 to 100`,
        );
      }
    });
  }
});
