import type { Scenario } from '../lab/scenario/scenario.ts';
import walkthrough from './01-walkthrough.ts';
import nameCollision from './02-name-collision.ts';
import chosenDrops from './03-chosen-drops.ts';
import randomLoss from './04-random-loss.ts';
import stopAtPause from './05-stop-at-pause.ts';
import serverKilled from './06-server-killed.ts';
import manyPorts from './07-many-ports.ts';
import offlineTarget from './08-offline-target.ts';
import slowLink from './09-slow-link.ts';
import seedVsAdaptive from './10-seed-vs-adaptive.ts';
import reordering from './11-reordering.ts';
import jumboFrames from './12-jumbo-frames.ts';
import portExhaustion from './20-port-exhaustion.ts';
import partitionAndHeal from './21-partition-and-heal.ts';
import routerRestart from './22-router-restart.ts';
import spoofedDatagrams from './23-spoofed-datagrams.ts';

/** Every scenario, in the order `npm run lab` runs them. */
export const scenarios: Scenario[] = [
  walkthrough,
  nameCollision,
  chosenDrops,
  randomLoss,
  stopAtPause,
  serverKilled,
  manyPorts,
  offlineTarget,
  slowLink,
  seedVsAdaptive,
  reordering,
  jumboFrames,
  portExhaustion,
  partitionAndHeal,
  routerRestart,
  spoofedDatagrams,
];
