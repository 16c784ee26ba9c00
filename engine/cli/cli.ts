#!/usr/bin/env node
// flow run | validate | test | schema | steps | init | inspect: parses argv, calls the command, maps errors to exit codes.
// Commands are imported lazily so `flow --version` and `flow --help` start instantly.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FlowError } from '../contract/errors.js';
import { didYouMean } from '../contract/suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

const commandOptions = {
  run: {
    set: { type: 'string', multiple: true },
    workers: { type: 'string' },
    output: { type: 'string', short: 'o' },
    report: { type: 'string' },
    strict: { type: 'boolean' },
    'allow-plugin-path': { type: 'string', multiple: true },
    queue: { type: 'string' },
    'queue-prefix': { type: 'string' },
  },
  worker: { queue: { type: 'string' }, threads: { type: 'string' }, 'queue-prefix': { type: 'string' } },
  validate: { offline: { type: 'boolean' }, 'allow-plugin-path': { type: 'string', multiple: true } },
  test: { junit: { type: 'string' }, update: { type: 'boolean' } },
  schema: { for: { type: 'string' }, report: { type: 'boolean' }, test: { type: 'boolean' } },
  steps: { for: { type: 'string' } },
  init: { 'flow-spec': { type: 'string' } },
  inspect: { json: { type: 'boolean' }, rows: { type: 'string' }, sample: { type: 'string' }, format: { type: 'string' }, workers: { type: 'string' } },
} satisfies Record<string, Options>;

/** Accepted by every command. */
const commonOptions = {
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} satisfies Options;

type Command = keyof typeof commandOptions;

const synopsis: Record<string, string> = {
  run: 'flow run PIPELINE [--set k=v]... [--workers N] [-o PATH] [--report FILE] [--strict] [--allow-plugin-path DIR]... [--queue URL]',
  worker: 'flow worker --queue URL [--threads N] [--queue-prefix P]',
  validate: 'flow validate PIPELINE... [--offline] [--allow-plugin-path DIR]...',
  test: 'flow test [PATH...] [--junit FILE] [--update]',
  schema: 'flow schema [--report] [--test] [--for PIPELINE]',
  steps: 'flow steps [NAME] [--for PIPELINE]',
  init: 'flow init [DIR] [--flow-spec SPEC]',
  inspect: 'flow inspect FILE [--json] [--rows N] [--sample N] [--format F] [--workers N]',
};

const purpose: Record<string, string> = {
  run: 'Validates, resolves and runs a pipeline: progress on stderr, the result on stdout or in the output file.',
  worker:
    "Takes chunk jobs of `flow run --queue` from Redis and runs them on this machine's threads, until stopped (SIGTERM or Ctrl-C finishes the chunks in hand). Run it in the pipeline's project folder (docs/distributed.md).",
  validate: 'Checks pipeline files without running them: every error of every file, each at file:line:col.',
  test: 'Runs pipeline tests (*.test.yaml; default: every one under the current folder); ends with "N passed, N failed".',
  schema: 'Prints the JSON Schema (draft-07) of pipelines, the built-in steps included; of reports with --report, of test files with --test.',
  steps: "Lists the steps, or one step's options and examples.",
  init: 'Creates a ready-to-run project: a pipeline, a local TypeScript step with its test, data, package.json.',
  inspect:
    'Reads a file (any format the file source reads; a glob, - or a URL too) and prints its columns, their types and null counts, the record count and the first records.',
};

/** Option help: `command.option` first, else `option`. */
const optionHelp: Record<string, [string, string]> = {
  set: ['--set k=v', 'override a param (typed like a YAML scalar); repeatable'],
  workers: ['--workers N', "worker threads (default: the pipeline's `workers`, else the number of cores)"],
  output: [
    '--output, -o PATH',
    "write the output to PATH instead of the pipeline's output (format from the extension: .json, .ndjson, .jsonl, .csv; - for stdout)",
  ],
  report: ['--report FILE', 'write a JSON report of the run, failed runs too (its schema: flow schema --report)'],
  strict: ['--strict', 'warnings fail the run (exit 3; nothing is written)'],
  queue: ['--queue URL', 'run the chunks on `flow worker`s through this Redis (redis://host:port; docs/distributed.md)'],
  'worker.queue': ['--queue URL', 'the Redis to take chunks from (redis://host:port)'],
  'queue-prefix': ['--queue-prefix P', "the queue's Redis key prefix (default: FLOW_QUEUE_PREFIX, else flow); coordinator and workers must agree"],
  threads: ['--threads N', 'chunks run at once on this machine, each on its thread (default: the number of cores)'],
  offline: ['--offline', 'check without environment variables and data files (lint before they exist)'],
  junit: ['--junit FILE', 'also write the results as JUnit XML'],
  update: ['--update', 'rewrite the expect: values with the actual results (comments kept)'],
  'schema.report': ['--report', 'the schema of --report files instead'],
  'schema.test': ['--test', 'the schema of test files (*.test.yaml) instead'],
  for: ['--for PIPELINE', 'also the local and npm steps that pipeline uses'],
  'allow-plugin-path': ['--allow-plugin-path DIR', "let local plugin paths lead into DIR, outside the pipeline's project; repeatable"],
  'flow-spec': [
    '--flow-spec SPEC',
    "the new project's dependency on flow-pipelines (default: ^VERSION when this flow came from the registry, else file: the folder or tarball it came from)",
  ],
  json: ['--json', 'one JSON object instead of the table (its fields: README, flow inspect)'],
  rows: ['--rows N', 'how many of the first records to show (default 5)'],
  sample: ['--sample N', 'read only the first N records (default: the whole input)'],
  format: ['--format F', 'ndjson, csv, tsv, lines, json or parquet (default: from the extension; needed for -)'],
  'inspect.workers': ['--workers N', 'worker threads (default: the number of cores)'],
  quiet: ['--quiet, -q', 'no progress or chatter, only results and errors (every command)'],
  help: ['--help, -h', 'this help (flow COMMAND --help: that command only)'],
};

const exitCodes = `Exit codes: 0 success; 1 the run failed; 2 the pipeline or the command line is invalid;
  3 the run completed but a data check failed (or a warning with --strict): nothing was written;
  130 interrupted (SIGINT, SIGTERM); 129 hung up (SIGHUP). An interrupted run writes nothing and leaves no temp file.
`;

function optionLines(names: string[], command?: string): string {
  return names
    .map((name) => {
      const [head, text] = (command !== undefined ? optionHelp[`${command}.${name}`] : undefined) ?? optionHelp[name] ?? [`--${name}`, ''];
      return head.length > 14 ? `  ${head}\n${' '.repeat(18)}${text}\n` : `  ${head.padEnd(16)}${text}\n`;
    })
    .join('');
}

function usage(): string {
  const names = new Set<string>(['set', 'workers', 'output', 'report', 'strict', 'offline', 'junit', 'update', 'for', 'allow-plugin-path', 'flow-spec']);
  for (const options of Object.values(commandOptions as Record<string, Options>)) for (const name of Object.keys(options)) names.add(name);
  const commands = [...new Set([...Object.keys(synopsis), ...Object.keys(commandOptions)])];
  return (
    `flow: declarative data pipelines on a worker-thread pool\nUsage:\n${commands.map((c) => `  ${synopsis[c] ?? `flow ${c}`}\n`).join('')}` +
    `  flow COMMAND --help      that command's options\nOptions:\n${optionLines([...names, 'quiet', 'help'])}` +
    `  --version, -v   flow's version\n${exitCodes}`
  );
}

function commandUsage(command: Command): string {
  const names = [...Object.keys(commandOptions[command]), 'quiet', 'help'];
  return `Usage: ${synopsis[command] ?? `flow ${command}`}\n${purpose[command] ?? ''}\nOptions:\n${optionLines(names, command)}${command === 'run' ? exitCodes : ''}`;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(usage());
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!Object.hasOwn(commandOptions, command)) {
    const near = didYouMean(command, Object.keys(commandOptions));
    throw new FlowError({
      code: 'BAD_ARGS',
      message: `unknown command "${command}"`,
      hint: `${near ? `did you mean "${near}"? ` : ''}commands: ${Object.keys(commandOptions).join(', ')} (see flow --help)`,
    });
  }
  const name = command as Command;
  const { values, positionals } = parseArguments(name, rest);
  if (values.help) {
    process.stdout.write(commandUsage(name));
    return 0;
  }
  switch (name) {
    case 'run':
      return (await import('./commands/run.js')).runCommand(positionals, values as Parameters<typeof import('./commands/run.js').runCommand>[1]);
    case 'worker':
      return (await import('./commands/worker.js')).workerCommand(positionals, values as import('./commands/worker.js').WorkerFlags);
    case 'validate':
      return (await import('./commands/validate.js')).validateCommand(
        positionals,
        values as Parameters<typeof import('./commands/validate.js').validateCommand>[1],
      );
    case 'test':
      return (await import('./commands/test/index.js')).testCommand(positionals, values as import('./commands/test/index.js').TestFlags);
    case 'schema':
      return (await import('./commands/schema.js')).schemaCommand(positionals, values as { for?: string; report?: boolean; test?: boolean });
    case 'steps':
      return (await import('./commands/steps.js')).stepsCommand(positionals, values as { for?: string });
    case 'init':
      return (await import('./commands/init.js')).initCommand(positionals, values as { 'flow-spec'?: string; quiet?: boolean });
    case 'inspect':
      return (await import('./commands/inspect/index.js')).inspectCommand(positionals, values as import('./commands/inspect/index.js').InspectFlags);
  }
}

/** parseArgs, with a clean message (and a did-you-mean) for an unknown option or a missing value. */
function parseArguments(command: Command, args: string[]) {
  const options: Options = { ...commandOptions[command], ...commonOptions };
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (option === undefined) throw unknownOption(command, token.rawName, options);
    if (option.type === 'string' && token.value === undefined) {
      throw new FlowError({ code: 'BAD_ARGS', message: `${token.rawName} needs a value`, hint: hintFor(command, token.name) });
    }
    if (option.type === 'boolean' && token.inlineValue) {
      throw new FlowError({ code: 'BAD_ARGS', message: `${token.rawName} takes no value`, hint: hintFor(command, token.name) });
    }
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new FlowError({ code: 'BAD_ARGS', message: (error as Error).message, hint: `see flow ${command} --help` });
  }
}

function unknownOption(command: Command, raw: string, options: Options): FlowError {
  const word = raw.replace(/^-+/, '');
  const near = raw.startsWith('--') ? didYouMean(word, Object.keys(options)) : undefined;
  const elsewhere = Object.entries(commandOptions as Record<string, Options>)
    .filter(([, other]) => Object.hasOwn(other, word))
    .map(([other]) => `flow ${other}`);
  const hint = near
    ? `did you mean --${near}?`
    : elsewhere.length > 0
      ? `--${word} is an option of ${elsewhere.join(', ')}; see flow ${command} --help`
      : `flow ${command} takes ${Object.keys(options)
          .map((o) => `--${o}`)
          .join(', ')} (see flow ${command} --help)`;
  return new FlowError({ code: 'BAD_ARGS', message: `unknown option ${raw} for flow ${command}`, hint });
}

function hintFor(command: string, option: string): string {
  const help = optionHelp[`${command}.${option}`] ?? optionHelp[option];
  return help ? `${help[0]}: ${help[1]}` : `see flow ${command} --help`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function reportError(error: unknown): Promise<number> {
  return (await import('./commands/sources.js')).printError(error);
}

// A date without a zone (Date.parse in an expression) reads as UTC, so results do not depend on the
// machine's time zone; a TZ the user sets explicitly still wins. Set before any worker starts.
process.env.TZ ??= 'UTC';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    process.exitCode = await reportError(error);
  },
);
