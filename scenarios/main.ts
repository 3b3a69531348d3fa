import { labCli } from '../lab/cli.ts';
import { scenarios } from './index.ts';

// `npm run lab`: the lab's command line over this project's scenarios.
await labCli(scenarios);
// Idle keep-alive sockets to the engines would hold the process for seconds after the run; once
// stdout has drained, there is nothing left to wait for.
process.stdout.write('', () => process.exit());
