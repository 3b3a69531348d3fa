import { labCli } from '../lab/cli.ts';
import { scenarios } from './index.ts';

// `npm run lab`: the lab's command line over this project's scenarios.
await labCli(scenarios);
