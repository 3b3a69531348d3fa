import path from 'node:path';

/**
 * Every name a run folder and its scenario folders hold, in one place: the writers, the report's
 * links, the merge of shards and the docs take their names from here, so a file is renamed once.
 *
 *   <run-id>/summary.json, junit.xml, report.html
 *   <run-id>/<scenario>/   the files `filesLeftBy` lists, plus the folders in SCENARIO_FOLDER
 */
export const RUN_FILE = {
  summary: 'summary.json',
  junit: 'junit.xml',
  report: 'report.html',
} as const;

/** The files of a scenario folder whose name never varies. */
export const SCENARIO_FILE = {
  result: 'result.json',
  timeline: 'timeline.json',
  timelineText: 'timeline.txt',
  captures: 'captures.json',
  impairment: 'impairment.json',
  impairmentRules: 'impairment.nft',
  serverLog: 'server.log',
  serverStdout: 'server.stdout.log',
} as const;

/** The folders of a scenario folder: what the server offered, and what each client saved. */
export const SCENARIO_FOLDER = { offered: 'files', downloads: 'downloads' } as const;

/** The capture points every scenario has; each client adds `client-<name>` (see clientCapturePoint). */
export const CAPTURE_POINT = {
  server: 'server',
  routerServerSide: 'router-server-side',
  routerClientSide: 'router-client-side',
} as const;

/** A scenario with an attacker host adds its capture and the log of what its agent did. */
export const ATTACKER = { capturePoint: 'attacker', log: 'attacker.log' } as const;

export const clientCapturePoint = (client: string): string => `client-${client}`;
export const pcapFile = (capturePoint: string): string => `${capturePoint}.pcap`;
export const clientLogFile = (client: string): string => `client-${client}.log`;
export const clientStderrFile = (client: string): string => `client-${client}.stderr.log`;
/** A client's saved downloads, relative to the scenario folder. */
export const downloadsFolder = (client: string): string => path.posix.join(SCENARIO_FOLDER.downloads, client);

/**
 * The sequence charts, in timeline.json's order: `timeline.svg` for the usual single download,
 * `timeline-1.svg`, `timeline-2.svg`, … for several, so the name alone says whether there are more.
 */
export function chartFiles(downloads: number): string[] {
  if (downloads === 1) return ['timeline.svg'];
  return Array.from({ length: downloads }, (_, i) => `timeline-${i + 1}.svg`);
}

/** A scenario's folder under the run folder: its name, made safe as a path segment. */
export function scenarioDir(runDir: string, name: string): string {
  return path.join(runDir, name.replace(/[^A-Za-z0-9._-]+/g, '-'));
}

/** What decides which files a scenario that ran to its end leaves. */
export interface ScenarioKind {
  /** Its clients by name: each has a capture and a log. */
  clients: readonly string[];
  /** Downloads the captures show: each has a chart, and any at all give timeline.txt. */
  downloads: number;
  /** The router ran nftables rules (chosen drops, seeded or TCP loss): their script is kept. */
  dropRules: boolean;
  /** An attacker host took part: its capture and its agent's log. */
  attacker?: boolean;
  /** Programs that wrote on a stream they normally keep silent: the server's stdout, a client's stderr. */
  chatty?: { server?: boolean; clients?: readonly string[] };
}

/** The files (not folders) a scenario of this kind leaves in its folder, in the order a reader wants them. */
export function filesLeftBy(kind: ScenarioKind): string[] {
  const points = capturePointsOf(kind);
  const files = [
    ...chartFiles(kind.downloads),
    ...(kind.downloads > 0 ? [SCENARIO_FILE.timelineText] : []),
    ...points.map(pcapFile),
    SCENARIO_FILE.serverLog,
    ...(kind.chatty?.server ? [SCENARIO_FILE.serverStdout] : []),
    ...kind.clients.map(clientLogFile),
    ...(kind.attacker ? [ATTACKER.log] : []),
    ...(kind.chatty?.clients ?? []).map(clientStderrFile),
    SCENARIO_FILE.result,
    SCENARIO_FILE.timeline,
    SCENARIO_FILE.captures,
    SCENARIO_FILE.impairment,
    ...(kind.dropRules ? [SCENARIO_FILE.impairmentRules] : []),
  ];
  return inReadingOrder(files);
}

/** The capture points of a scenario of this kind: the fixed ones, each client's, the attacker's. */
export function capturePointsOf(kind: Pick<ScenarioKind, 'clients' | 'attacker'>): string[] {
  return [
    ...Object.values(CAPTURE_POINT),
    ...kind.clients.map(clientCapturePoint),
    ...(kind.attacker ? [ATTACKER.capturePoint] : []),
  ];
}

// Evidence in the order a reader wants it: the charts and story, then pcaps, then logs, data and rules.
const KIND_ORDER = ['.svg', '.txt', '.pcap', '.log', '.json', '.nft'];

export function inReadingOrder(files: readonly string[]): string[] {
  const rank = (name: string) => {
    const i = KIND_ORDER.indexOf(path.extname(name));
    return i < 0 ? KIND_ORDER.length : i;
  };
  return [...files].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Pictures of each chart of report.html, taken in a real browser (the browser test), for the docs and slides. */
export const SCREENSHOTS_FOLDER = 'screenshots';
export const chartScreenshot = (scenario: string, chart: number): string =>
  path.posix.join(SCREENSHOTS_FOLDER, `${scenario}-${chart + 1}.png`);
