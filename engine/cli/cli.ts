#!/usr/bin/env node
// flow run | validate | schema | steps | init: parses argv, calls the command, maps errors to exit codes.
// Commands are imported lazily so `flow --version` and `flow --help` start instantly.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FlowError } from '../contract/errors.js';

const usage = `flow: declarative data pipelines on a worker-thread pool

Usage:
  flow run PIPELINE [--set k=v]... [--workers N] [--report FILE] [--quiet] [--allow-plugin-path DIR]...
  flow validate PIPELINE... [--allow-plugin-path DIR]...
  flow schema [--for PIPELINE]
  flow steps [NAME] [--for PIPELINE]
  flow init [DIR] [--flow-spec SPEC]

Options:
  --set k=v       override a param (typed like a YAML scalar); repeatable
  --workers N     worker threads (default: the pipeline's \`workers\`, else the number of cores)
  --report FILE   write a JSON report of the run (status, counters, timings, error)
  --quiet, -q     no progress on stderr
  --for PIPELINE  also the local and npm steps that pipeline uses
  --allow-plugin-path DIR
                  let local plugin paths lead into DIR, outside the pipeline's project; repeatable
  --flow-spec SPEC
                  the new project's dependency on flow-pipelines (default: ^VERSION when this flow
                  came from the registry, else file: the folder or tarball it came from)
  --help, -h      this help
  --version, -v   flow's version

Exit codes: 0 success; 1 the run failed; 2 the pipeline or the command line is invalid;
  130 interrupted (SIGINT, SIGTERM); 129 hung up (SIGHUP). An interrupted run writes nothing and leaves no temp file.
`;

const commandOptions = {
  run: {
    set: { type: 'string', multiple: true },
    workers: { type: 'string' },
    report: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    'allow-plugin-path': { type: 'string', multiple: true },
  },
  validate: { 'allow-plugin-path': { type: 'string', multiple: true } },
  schema: { for: { type: 'string' } },
  steps: { for: { type: 'string' } },
  init: { 'flow-spec': { type: 'string' } },
} satisfies Record<string, ParseArgsConfig['options']>;

type Command = keyof typeof commandOptions;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(usage);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!Object.hasOwn(commandOptions, command)) {
    throw new FlowError({ code: 'BAD_ARGS', message: `unknown command "${command}"`, hint: 'commands: run, validate, schema, steps, init (see flow --help)' });
  }
  const name = command as Command;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(usage);
    return 0;
  }
  const { values, positionals } = parseArguments(name, rest);
  switch (name) {
    case 'run':
      return (await import('./commands/run.js')).runCommand(positionals, values as Parameters<typeof import('./commands/run.js').runCommand>[1]);
    case 'validate':
      return (await import('./commands/validate.js')).validateCommand(positionals, values as { 'allow-plugin-path'?: string[] });
    case 'schema':
      return (await import('./commands/schema.js')).schemaCommand(positionals, values as { for?: string });
    case 'steps':
      return (await import('./commands/steps.js')).stepsCommand(positionals, values as { for?: string });
    case 'init':
      return (await import('./commands/init.js')).initCommand(positionals, values as { 'flow-spec'?: string });
  }
}

function parseArguments(command: Command, args: string[]) {
  try {
    return parseArgs({ args, options: commandOptions[command], allowPositionals: true, strict: true });
  } catch (error) {
    throw new FlowError({ code: 'BAD_ARGS', message: (error as Error).message, hint: `see flow ${command} --help` });
  }
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
