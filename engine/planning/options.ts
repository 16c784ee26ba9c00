// What a caller can say about a run, in one type: each stage picks the fields it uses.
import type { RunObserver } from '../contract/observer.js';
import type { StepSpec } from '../contract/plan.js';
import type { ChunkingOptions } from '../contract/step.js';

export interface FlowOptions {
  /** `--set k=v` overrides of params, typed like YAML scalars. */
  set?: Record<string, string>;
  /** Variables for `${{ env.NAME }}` and the fast-path switches (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** `--workers N`: wins over the pipeline's `workers`. */
  workers?: number;
  /** `--allow-plugin-path DIR`: folders outside the pipeline's project where local plugins may live. */
  allowPluginPaths?: string[];
  /** Replaces the pipeline's `chunking:` (`flow test` runs each test in one chunk and in many). */
  chunking?: ChunkingOptions;
  /** Replaces the pipeline's `source:` (`flow test` feeds a test's input through it); validated and resolved like one written there. */
  source?: StepSpec;
  /**
   * `flow validate --offline`: check without the environment and the data: an unset `${{ env.NAME }}`
   * is an unknown value (an unknown literal in an expression), and input files need not exist.
   */
  offline?: boolean;
  /** Where a relative pipeline path, and the relative paths of a pipeline object, resolve (default: the cwd). */
  cwd?: string;
  /** Told when stages start and end, and of progress. */
  observer?: Partial<RunObserver>;
  signal?: AbortSignal;
  /**
   * false: run no output step; the result comes back only (a map-only pipeline's records as an
   * array, in source order). Default: true for a file; for an object, whether it has `output:`.
   */
  output?: boolean;
  /** `--strict`: a run with warnings (RunSummary.warnings) fails with exit 3 and writes nothing. */
  strict?: boolean;
}

/** What planning uses. */
export type PrepareOptions = Pick<FlowOptions, 'set' | 'env' | 'workers' | 'chunking' | 'source' | 'allowPluginPaths' | 'cwd' | 'observer' | 'offline'>;
