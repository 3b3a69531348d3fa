import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AttackError } from '../attack/attack-agent.ts';
import { CaptureIncompleteError } from '../capture/capture-errors.ts';
import { startCaptures, type StartedCaptures } from '../capture/captures.ts';
import { localOrDefaultEngine, type LabEngine } from '../engine/lab-engine.ts';
import type { ImpairmentRecord } from '../impairment/applied-impairments.ts';
import { Impairments } from '../impairment/impairments.ts';
import { RouterFaults } from '../impairment/router-faults.ts';
import { writeScenarioCharts } from '../report/write-charts.ts';
import {
  CAPTURE_POINT,
  clientCapturePoint,
  folderFacts,
  pcapFile,
  SCENARIO_FILE,
  SCENARIO_FOLDER,
  scenarioDir,
  scenarioResult,
  toReadableJson,
  writeScenarioResults,
  type ScenarioKind,
  type ScenarioResult,
} from '../results/index.ts';
import { timelinesFromPcaps } from '../timeline/from-pcaps.ts';
import { withNetworkEvents } from '../timeline/network-events.ts';
import type { DownloadTimeline } from '../timeline/index.ts';
import { LabTopology } from '../topology/lab-topology.ts';
import type { StartedLabTopology } from '../topology/started-lab-topology.ts';
import type { Attacker } from './attacker.ts';
import { Evidence } from './evidence.ts';
import { LabFiles } from './lab-files.ts';
import { checkProtocolInvariants, combineFailures } from './protocol-invariants.ts';
import type { ClientSpec, Scenario, ScenarioLab, ServerSpec } from './scenario.ts';
import { ScenarioTimeoutError } from './scenario-errors.ts';
import { ScenarioPrograms, scenarioPause } from './scenario-programs.ts';

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
  serverOverrides?: Pick<ServerSpec, 'pause' | 'fixedRate' | 'maxPerAddress' | 'idleBeforeConnect'>;
  /** Start every client with other flags than the scenario asks for (the same proof on the client's side). */
  clientOverrides?: Pick<ClientSpec, 'recovery' | 'reorderWindowMs' | 'lossTimers' | 'verify'>;
  /** How long a download may take to reach its next step (the pause, `Save as:`) before the story fails; 60 s unless said. A run that must stall is caught sooner with less. */
  stepWaitMs?: number;
  timeoutMs?: number;
}

export interface ScenarioOutcome {
  result: ScenarioResult;
  timelines: DownloadTimeline[];
  /** What the router was told to do; null when the scenario broke off before. */
  impairment: ImpairmentRecord | null;
  dir: string;
  /** What decides which files the scenario's folder holds (see lab/results/run-folder.ts). */
  kind: ScenarioKind;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * One scenario from its hosts to its verdict, and the only owner of everything in between:
 *
 *   await using run = new ScenarioRun(scenario, options);
 *   await run.start();                // hosts, impairment, captures, programs
 *   await run.play();                 // the story, within its time limit
 *   const outcome = await run.verdict();   // programs ended, pcaps read, hosts down, judged, written
 *
 * No step throws: the first failure is kept and the later steps do what still makes sense (the
 * programs are ended and the pcaps read even after a broken story: they are its evidence).
 * Disposing takes the hosts down, also when something outside the steps threw.
 */
export class ScenarioRun implements AsyncDisposable {
  readonly dir: string;
  private readonly begun = performance.now();
  private readonly note: (message: string) => void;
  private failure: unknown;
  private topology?: StartedLabTopology;
  private files?: LabFiles;
  private impairment: ImpairmentRecord | null = null;
  /** The router as the story's actor: partitions, heals, restarts, each kept for the timelines. */
  private faults?: RouterFaults;
  private captures?: StartedCaptures;
  private readonly programs = new ScenarioPrograms();
  private evidence?: Promise<Evidence>;
  private timelines: DownloadTimeline[] = [];
  private chatty: ScenarioKind['chatty'];

  constructor(
    readonly scenario: Scenario,
    private readonly options: ScenarioRunOptions,
  ) {
    this.dir = scenarioDir(options.runDir, scenario.name);
    this.note = options.note ?? (() => {});
  }

  /** Brings up the hosts, applies the impairment, starts the captures and then the programs. */
  async start(): Promise<void> {
    try {
      const topology = await this.hostsUp();
      await this.impair(topology);
      this.captures = await startCaptures(topology);
      const { files, dir, note } = this;
      const { serverOverrides, clientOverrides, stepWaitMs } = this.options;
      await this.programs.start(this.scenario, topology, {
        files: files!,
        dir,
        note,
        serverOverrides,
        clientOverrides,
        stepWaitMs,
      });
    } catch (err) {
      this.fail(err);
    }
  }

  /** The scenario's story, within its time limit; skipped when start() failed. */
  async play(): Promise<void> {
    if (this.failure !== undefined) return;
    const ms = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      await withTimeout(this.scenario.run(this.lab()), ms, this.scenario.name);
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * Ends every program as its user would, closes the pcaps and reads them (once: the story calls
   * it as `lab.captured()`, the verdict again). Throws what the programs or captures got wrong.
   */
  captured(): Promise<Evidence> {
    this.evidence ??= this.end();
    return this.evidence;
  }

  /** Judges the scenario on its story and its wire, takes the hosts down and writes its folder. */
  async verdict(): Promise<ScenarioOutcome> {
    if (this.captures) {
      await this.captured().catch((err: unknown) => this.fail(err));
      this.failure = combineFailures(this.failure, wireVerdict(this.timelines));
    }
    await this[Symbol.asyncDispose]();
    return this.write();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const topology = this.topology;
    this.topology = undefined;
    await topology?.[Symbol.asyncDispose]();
  }

  private async hostsUp(): Promise<StartedLabTopology> {
    const { scenario, options } = this;
    this.files = await LabFiles.create(path.join(this.dir, SCENARIO_FOLDER.offered), scenario.files);
    const builder = new LabTopology()
      .withRunId(options.runId)
      .withScenario(scenario.name)
      .withClients(Object.keys(scenario.clients))
      .withResultsDir(this.dir)
      .withFilesDir(this.files.dir)
      .withKeep(options.keep ?? false)
      .withEngine(options.engine ?? localOrDefaultEngine());
    if (scenario.attacker) builder.withAttacker(scenario.attacker);
    if (scenario.mtu !== undefined) builder.withMtu(scenario.mtu);
    const topology = await builder.start();
    this.topology = topology;
    this.note(
      `hosts up in ${topology.startupMs} ms: server ${topology.server.ip}, ${topology.clients.map((c) => `${c.name} ${c.ip}`).join(', ')}`,
    );
    return topology;
  }

  private async impair(topology: StartedLabTopology): Promise<void> {
    const impairments = new Impairments(topology);
    this.scenario.impair?.(impairments, { seed: this.options.seed, files: this.files! });
    const applied = await impairments.apply();
    this.impairment = applied.toJSON();
    this.faults = new RouterFaults(topology.router, applied, this.note);
    if (applied.mechanisms.length > 0)
      this.note(`impairment by ${applied.mechanisms.join(' + ')}: ${applied.drops.length} drop rules`);
  }

  private async end(): Promise<Evidence> {
    let exits: Awaited<ReturnType<ScenarioPrograms['end']>>['exits'];
    let incomplete: CaptureIncompleteError | undefined;
    try {
      ({ exits, chatty: this.chatty } = await this.programs.end(this.dir));
    } finally {
      incomplete = await this.closeCaptures();
    }
    // The verdicts compare the two router captures: a hole in either would read as a protocol fault.
    if (incomplete) throw incomplete;
    const pcap = (point: string) => path.join(this.dir, pcapFile(point));
    const { timelines, sent, received } = await timelinesFromPcaps({
      sentPcap: pcap(CAPTURE_POINT.routerServerSide),
      receivedPcap: pcap(CAPTURE_POINT.routerClientSide),
      clientPcaps: Object.keys(this.programs.clients).map((name) => pcap(clientCapturePoint(name))),
      serverIp: this.topology!.server.ip,
      // The timeline carries H from here on: the pause the clients expect, whatever the server was told.
      pausePercent: scenarioPause(this.scenario),
    });
    withNetworkEvents(timelines, this.faults?.events ?? []);
    this.timelines = timelines;
    exits?.throwIfFailed();
    return new Evidence(sent, received, timelines, this.files!);
  }

  /** Stops tcpdump everywhere, keeps its counts in captures.json; an error when a router capture has holes. */
  private async closeCaptures(): Promise<CaptureIncompleteError | undefined> {
    const closed = await this.captures!.stop();
    await writeFile(path.join(this.dir, SCENARIO_FILE.captures), toReadableJson(closed));
    const incomplete = closed.filter((c) => c.droppedByKernel > 0 && c.point.startsWith('router-'));
    return incomplete.length > 0 ? new CaptureIncompleteError(incomplete) : undefined;
  }

  /** What the story acts with: the programs, the files, the seed, and the way to the evidence. */
  private lab(): ScenarioLab {
    const { attacker } = this.programs;
    const name = this.scenario.name;
    return {
      server: this.programs.server!,
      clients: this.programs.clients,
      router: this.faults!,
      get attacker(): Attacker {
        if (!attacker) throw new AttackError(`scenario ${name} has no attacker: give it attacker: { on: 'clients' }`);
        return attacker;
      },
      files: this.files!,
      seed: this.options.seed,
      note: this.note,
      captured: () => this.captured(),
    };
  }

  private fail(err: unknown): void {
    this.failure ??= err;
  }

  private kind(): ScenarioKind {
    return {
      clients: Object.keys(this.scenario.clients),
      attacker: this.scenario.attacker !== undefined,
      downloads: this.timelines.length,
      dropRules: (this.impairment?.nftRules ?? 0) > 0,
      chatty: this.chatty,
    };
  }

  private async write(): Promise<ScenarioOutcome> {
    const { dir, timelines } = this;
    const kind = this.kind();
    const result = {
      ...scenarioResult(this.scenario.name, performance.now() - this.begun, timelines, this.failure),
      seed: this.options.seed,
      ...(await folderFacts(this.options.runDir, dir, kind)),
    };
    await writeScenarioResults(dir, result, timelines);
    await writeScenarioCharts(dir, timelines);
    const events = this.faults?.events ?? [];
    const impairment =
      this.impairment && events.length ? { ...this.impairment, networkFaults: events } : this.impairment;
    if (impairment) await writeFile(path.join(dir, SCENARIO_FILE.impairment), toReadableJson(impairment));
    return { result, timelines, impairment, dir, kind };
  }
}

/** The protocol's invariants on every download the wire showed: the verdict even of a story that broke off. */
function wireVerdict(timelines: DownloadTimeline[]): unknown {
  try {
    checkProtocolInvariants(timelines);
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
