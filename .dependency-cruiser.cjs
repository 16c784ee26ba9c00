// The engine's layers (docs/architecture.md), top to bottom:
//   face       engine/cli/**, engine/launch/**, engine/testing/**, engine/index.ts
//   run        engine/run/**
//   planning   engine/planning/**
//   execution  engine/execution/**
//   steps      steps/** (the built-in steps, steps/registry.ts, steps/bundled.ts and their kit, steps/kit/**)
//   contract   engine/contract/**
// A layer imports only itself and the layers below it; no import points up, and nothing is circular.
// Within steps: the kit imports no step, and a step imports another step only through the kit.
// Type-only imports count too: a type pulled from a higher layer is a dependency on it all the same.
// `npm run lint` checks these rules (depcruise engine steps); `npm run graph` draws the folders.

const layers = {
  face: '^engine/(cli|launch|testing)/|^engine/index\\.ts$',
  run: '^engine/run/',
  planning: '^engine/planning/',
  execution: '^engine/execution/',
  steps: '^steps/',
  contract: '^engine/contract/',
};
const order = ['face', 'run', 'planning', 'execution', 'steps', 'contract'];

/** One rule per layer: nothing in it may import a layer above it. */
const noImportUp = order.slice(1).map((layer, i) => ({
  name: `layer-${layer}-imports-up`,
  comment: `${layer} may import only ${order.slice(i + 1).join(', ')}: nothing above it (${order.slice(0, i + 1).join(', ')})`,
  severity: 'error',
  from: { path: layers[layer] },
  to: {
    path: order
      .slice(0, i + 1)
      .map((above) => layers[above])
      .join('|'),
  },
}));

/** A step is a file or a component folder named by kind: steps/map-filter.ts, steps/source-file/. */
const step = '^steps/((?:source|map|reduce|output)-[^/.]+)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'a cycle ties its modules into one: none may be understood, tested or loaded alone',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...noImportUp,
    {
      name: 'kit-imports-a-step',
      comment: 'the kit (readers, serializers, expressions, numbers) is shared by the steps: it imports none of them, nor the registry',
      severity: 'error',
      from: { path: '^steps/kit/' },
      to: { path: '^steps/', pathNot: '^steps/kit/' },
    },
    {
      name: 'step-imports-another-step',
      comment: 'a step shares code with another step only through steps/kit/',
      severity: 'error',
      from: { path: step },
      to: { path: '^steps/(?:source|map|reduce|output)-', pathNot: '^steps/$1(?:/|\\.ts$)' },
    },
    {
      name: 'step-imports-the-registry',
      comment: 'the registry and the bundle list the steps; a step does not look itself or others up',
      severity: 'error',
      from: { path: step },
      to: { path: '^steps/(registry|bundled)\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that does not resolve is a typo or a missing dependency',
      severity: 'error',
      from: {},
      // engine/planning/validate/validators.ts requires the build's dist/validators.cjs by its place in dist/.
      to: { couldNotResolve: true, pathNot: '^[./]*/validators\\.cjs$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|out|test|\\.cache)/' },
    // See type-only imports (import type, and imports used only as types) as dependencies.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.cts', '.mts', '.js', '.cjs', '.mjs', '.json'],
    },
    reporterOptions: {
      dot: { collapsePattern: '^(engine|steps)/[^/]+(/[^/]+)?' },
      archi: { collapsePattern: '^(engine|steps)/[^/]+' },
    },
  },
};
