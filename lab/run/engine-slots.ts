import type { LabEngine } from '../engine/lab-engine.ts';
import { defaultJobs } from './default-jobs.ts';

/** Scenarios at once per engine (by URL): `jobs` everywhere when given, else what each engine's machine carries. */
export async function jobsPerEngine(engines: readonly LabEngine[], jobs?: number): Promise<Record<string, number>> {
  const entries = await Promise.all(
    engines.map(async (e) => {
      if (jobs !== undefined) return [e.url, jobs] as const;
      const info = (await e.docker.info()) as { NCPU: number; MemTotal: number };
      return [e.url, defaultJobs({ cores: info.NCPU, memoryGiB: info.MemTotal / 2 ** 30 })] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * One slot per scenario an engine may run at once, the engines interleaved (the first slot of
 * each, then the second …), so that a short list is spread over every engine rather than queued
 * on the first.
 */
export function engineSlots<E extends { url: string }>(engines: readonly E[], jobs: Record<string, number>): E[] {
  const slots: E[] = [];
  const most = Math.max(...engines.map((e) => jobs[e.url] ?? 1));
  for (let j = 0; j < most; j++) for (const e of engines) if (j < (jobs[e.url] ?? 1)) slots.push(e);
  return slots;
}
