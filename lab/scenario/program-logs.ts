import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { clientLogFile, clientStderrFile, SCENARIO_FILE } from '../results/run-folder.ts';
import type { ClientProgram } from './client-program.ts';
import { ProgramExitError } from './scenario-errors.ts';
import type { ServerProgram } from './server-program.ts';

/**
 * Ends every program the way its user would (clients: end of input; server: SIGTERM)
 * and reads pass or fail from the exit codes. A killed server is not asked.
 */
export async function endPrograms(server: ServerProgram, clients: ClientProgram[]) {
  const clientExits = await Promise.all(clients.map(async (c) => [c.name, await c.quit()] as const));
  const serverExit = server.wasKilled ? null : await server.stop();
  const failures = [
    ...clientExits
      .filter(([, code]) => code !== 0)
      .map(([name, code]) => `client ${name} exited with ${code === -1 ? 'no exit (still running)' : `code ${code}`}`),
    ...(serverExit !== null && serverExit !== 0
      ? [`server exited with ${serverExit === -1 ? 'no exit (still running)' : `code ${serverExit}`}`]
      : []),
  ];
  return {
    throwIfFailed() {
      if (failures.length > 0) throw new ProgramExitError(failures);
    },
  };
}

/**
 * Every program's output, one file per host and stream, beside the pcaps; a stream the program
 * usually keeps silent only when it spoke. Returns which of those did (see ScenarioKind.chatty).
 */
export async function writeLogs(
  dir: string,
  server: ServerProgram,
  clients: ClientProgram[],
): Promise<{ server: boolean; clients: string[] }> {
  const chatty = { server: false, clients: [] as string[] };
  await writeFile(path.join(dir, SCENARIO_FILE.serverLog), server.process.stderr.text() + '\n');
  const out = server.process.stdout.text();
  if (out) {
    chatty.server = true;
    await writeFile(path.join(dir, SCENARIO_FILE.serverStdout), out + '\n');
  }
  for (const c of clients) {
    await writeFile(path.join(dir, clientLogFile(c.name)), c.process.stdout.text() + '\n');
    const err = c.process.stderr.text();
    if (err) {
      chatty.clients.push(c.name);
      await writeFile(path.join(dir, clientStderrFile(c.name)), err + '\n');
    }
  }
  return chatty;
}
