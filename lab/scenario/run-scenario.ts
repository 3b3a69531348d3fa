import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startCaptures } from '../capture/captures.ts';
import { localOrDefaultEngine, type LabEngine } from '../engine/lab-engine.ts';
import { Impairments } from '../impairment/impairments.ts';
import { RouterFaults } from '../impairment/router-faults.ts';
import {
  folderFacts,
  SCENARIO_FILE,
  SCENARIO_FOLDER,
  scenarioDir,
  scenarioResult,
  toReadableJson,
  writeScenarioResults,
  type ScenarioKind,
  type ScenarioResult,
} from '../results/index.ts';
import { writeScenarioCharts } from '../report/write-charts.ts';
import type { DownloadTimeline } from '../timeline/index.ts';
import { LabTopology } from '../topology/lab-topology.ts';
import { AttackError } from '../attack/attack-agent.ts';
import { Attacker } from './attacker.ts';
import { ClientProgram } from './client-program.ts';
import { LabFiles } from './lab-files.ts';
import type { Scenario } from './scenario.ts';
import { ScenarioSession } from './scenario-session.ts';
import { checkProtocolInvariants, combineFailures } from './protocol-invariants.ts';
import { ScenarioTimeoutError } from './scenario-errors.ts';
import { ServerProgram } from './server-program.ts';

export interface ScenarioRunOptions {
  runId: string;
  runDir: string;
  /** The scenario's own seed (the runner derives it from the run's seed, the name and the repeat). */
  seed: number;
  /** The Docker engine its hosts run on; the default engine (DOCKER_HOST, the Docker context) unless said. */
  engine?: LabEngine;
  keep?: boolean;
  /** Live progress: one line per step. */
  note?: (message: string) => void;
  /** Start the server with other flags than the scenario asks for (to prove a check catches a misbehaving server, or a defence switched off). */
  serverOverrides?: { pause?: number; maxPerAddress?: number; idleBeforeConnect?: number };
  timeoutMs?: number;
}

export interface ScenarioOutcome {
  result: ScenarioResult;
  timelines: DownloadTimeline[];
  impairment: object | null;
  dir: string;
  /** What decides which files the scenario's folder holds (see lab/results/run-folder.ts). */
  kind: ScenarioKind;
}

const DEFAULT_PAUSE = 50;
// Well below what two cores forward and capture five times over without dropping: see CaptureIncompleteError.
const DEFAULT_LAB_RATE_MBIT = 100;

/** One scenario from first container to last verdict; never throws, the outcome says what failed. */
export async function runScenario(scenario: Scenario, opts: ScenarioRunOptions): Promise<ScenarioOutcome> {
  const started = performance.now();
  const note = opts.note ?? (() => {});
  const dir = scenarioDir(opts.runDir, scenario.name);
  const pause = scenario.server?.pause ?? DEFAULT_PAUSE;
  let impairment: object | null = null;
  let faults: RouterFaults | undefined;
  let dropRules = false;
  let session: ScenarioSession | undefined;
  let error: unknown;
  try {
    const files = await LabFiles.create(path.join(dir, SCENARIO_FOLDER.offered), scenario.files);
    const builder = new LabTopology()
      .withRunId(opts.runId)
      .withEngine(opts.engine ?? localOrDefaultEngine())
      .withScenario(scenario.name)
      .withClients(Object.keys(scenario.clients))
      .withResultsDir(dir)
      .withFilesDir(files.dir)
      .withKeep(opts.keep ?? false);
    if (scenario.attacker) builder.withAttacker(scenario.attacker);
    await using topology = await builder.start();
    note(
      `hosts up in ${topology.startupMs} ms: server ${topology.server.ip}, ${topology.clients.map((c) => `${c.name} ${c.ip}`).join(', ')}`,
    );

    const impairments = new Impairments(topology);
    scenario.impair?.(impairments, { seed: opts.seed, files });
    const applied = await impairments.apply();
    impairment = applied.toJSON();
    faults = new RouterFaults(topology.router, applied, note);
    dropRules = applied.nftRules > 0;
    if (applied.mechanisms.length > 0)
      note(`impairment by ${applied.mechanisms.join(' + ')}: ${applied.drops.length} drop rules`);

    session = new ScenarioSession(dir, await startCaptures(topology), files, topology.server.ip, pause, faults);
    try {
      const server = await ServerProgram.start(topology.server, {
        rate: DEFAULT_LAB_RATE_MBIT,
        ...scenario.server,
        ...opts.serverOverrides,
        pause: opts.serverOverrides?.pause ?? pause,
      });
      session.server = server;
      for (const [name, spec] of Object.entries(scenario.clients)) {
        const host = topology.client(name);
        session.clients[name] = await ClientProgram.start(name, host, {
          serverIp: server.ip,
          port: spec.port ?? 55000,
          resultsDir: dir,
          pause,
          note,
        });
      }
      if (topology.attacker)
        session.attacker = await Attacker.start(topology.attacker, { serverIp: server.ip, files, note });
      const attacker = session.attacker;
      const lab = {
        server,
        clients: session.clients,
        router: faults,
        get attacker(): Attacker {
          if (!attacker)
            throw new AttackError(`scenario ${scenario.name} has no attacker: give it attacker: { on: 'clients' }`);
          return attacker;
        },
        files,
        seed: opts.seed,
        note,
        captured: () => session!.finish(),
      };
      await withTimeout(scenario.run(lab), opts.timeoutMs ?? 120_000, scenario.name);
      await session.finish();
    } catch (err) {
      error = err;
      // Still end the programs and close the pcaps: they are the evidence of what went wrong.
      await session.finish().catch(() => undefined);
    }
    error = combineFailures(error, wireVerdict(session, pause));
  } catch (err) {
    error ??= err;
  }
  const timelines = session?.timelines ?? [];
  const kind = {
    clients: Object.keys(scenario.clients),
    attacker: scenario.attacker !== undefined,
    downloads: timelines.length,
    dropRules,
    chatty: session?.chatty,
  };
  const result = {
    ...scenarioResult(scenario.name, performance.now() - started, timelines, error),
    seed: opts.seed,
    ...(await folderFacts(opts.runDir, dir, kind)),
  };
  await writeScenarioResults(dir, result, timelines);
  await writeScenarioCharts(dir, timelines);
  if (impairment && faults?.events.length) impairment = { ...impairment, networkFaults: faults.events };
  if (impairment) await writeFile(path.join(dir, SCENARIO_FILE.impairment), toReadableJson(impairment));
  return { result, timelines, impairment, dir, kind };
}

function wireVerdict(session: ScenarioSession, pausePercent: number): unknown {
  try {
    checkProtocolInvariants(session.timelines, pausePercent);
    return undefined;
  } catch (err) {
    return err;
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ScenarioTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
