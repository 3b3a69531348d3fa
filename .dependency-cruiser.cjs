// The architecture as rules (docs/ARCHITECTURE.md draws it): `npm run lint` runs
// `depcruise services lab scenarios scripts test`, and any import that breaks a rule fails it.
// Type-only imports count: an arrow is an arrow, whatever it carries.

// Tests (`*.test.ts`) are checked for cycles only: a test may reach across rooms to set up what it checks.
const TEST = '\\.test\\.ts$';

// The lab's rooms, lowest first. A room imports only rooms on lower floors (and itself): no upward arrows,
// no sideways arrows between rooms of one floor.
const LAB_FLOORS = [
  ['errors'],
  ['host', 'pcap'],
  ['engine', 'timeline', 'attack'],
  ['topology', 'assertions', 'results'],
  ['capture', 'impairment', 'report'],
  ['scenario'],
  ['run', 'analyze'],
  ['cli.ts'],
];

const room = (name) => `^lab/${name.replace('.', '\\.')}${name.endsWith('.ts') ? '$' : '/'}`;

const floorRules = LAB_FLOORS.flatMap((rooms, floor) => {
  const higherOrSame = LAB_FLOORS.slice(floor).flat();
  return rooms
    .filter((name) => higherOrSame.some((other) => other !== name))
    .map((name) => ({
      name: `lab-floors: lab/${name}`,
      comment: `lab/${name} may import only lab rooms on lower floors: ${LAB_FLOORS.slice(0, floor).flat().join(', ') || 'none'}`,
      severity: 'error',
      from: { path: room(name), pathNot: TEST },
      to: { path: higherOrSame.filter((other) => other !== name).map(room) },
    }));
});

/** `from` imports nothing of `other` (nor the tests' support): the client and the server share only services/protocol/. */
function apart(from, other) {
  return {
    name: `${from}-and-${other}-apart`,
    comment: 'The client and the server share only services/protocol/.',
    severity: 'error',
    from: { path: `^services/${from}/`, pathNot: TEST },
    to: { path: `^services/(${other}|test-support)/` },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No module reaches itself through its imports, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'services-never-import-the-harness',
      comment:
        'The server and the client run without the lab: services/ imports nothing of lab/, scenarios/, scripts/, test/.',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: '^(lab|scenarios|scripts|test)/' },
    },
    {
      name: 'protocol-is-pure',
      comment: 'services/protocol/ is the wire format alone: no other part of the services, no I/O.',
      severity: 'error',
      from: { path: '^services/protocol/', pathNot: TEST },
      to: {
        path: [
          '^services/(client|server|test-support)/',
          '^(node:)?(fs|fs/promises|net|dgram|child_process|http|https|readline)$',
        ],
      },
    },
    apart('client', 'server'),
    apart('server', 'client'),
    {
      name: 'lab-uses-only-the-protocol',
      comment: 'The lab drives the real programs as processes; of the services it imports only the wire format.',
      severity: 'error',
      from: { path: '^lab/', pathNot: TEST },
      to: { path: '^services/', pathNot: '^services/protocol/' },
    },
    {
      name: 'lab-never-imports-scenarios-or-scripts',
      comment: 'scenarios/main.ts hands the lab its scenarios; the lab knows no scenario by name.',
      severity: 'error',
      from: { path: '^lab/' },
      to: { path: '^(scenarios|scripts|test)/' },
    },
    {
      name: 'results-write-data-only',
      comment: 'lab/results/ writes data; lab/report/ draws it. Said on its own as well as by the floors.',
      severity: 'error',
      from: { path: '^lab/results/' },
      to: { path: '^lab/report/' },
    },
    {
      name: 'scenarios-speak-the-vocabulary',
      comment:
        'A scenario is a story in the lab vocabulary: lab/scenario/scenario.ts and expect-that.ts, the wire constants of services/protocol/, Node, and other scenarios.',
      severity: 'error',
      from: { path: '^scenarios/', pathNot: [TEST, '^scenarios/main\\.ts$'] },
      to: {
        path: '^(lab|services|scripts|test)/',
        pathNot: ['^lab/scenario/(scenario|expect-that)\\.ts$', '^services/protocol/'],
      },
    },
    {
      name: 'scenarios-main-starts-the-cli',
      comment: 'scenarios/main.ts is the entry point: the scenario list and lab/cli.ts, nothing else of the lab.',
      severity: 'error',
      from: { path: '^scenarios/main\\.ts$' },
      to: { path: '^lab/', pathNot: ['^lab/cli\\.ts$', '^lab/scenario/(scenario|expect-that)\\.ts$'] },
    },
    ...floorRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules/', '^lab/report/browser/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
