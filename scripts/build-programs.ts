/** npm run build: bundles the server and the client into dist/, as `npm run server` and `npm run client` run them. */
import { writeProgramBundles } from './build/program-bundles.ts';

await writeProgramBundles();
