// What a caller can say about a run, in one type: each stage picks the fields it uses.
import type { RunObserver } from '../contract/observer.js';

export interface FlowOptions {
  /** `--set k=v` overrides of params, typed like YAML scalars. */
  set?: Record<string, string>;
  /** Variables for `${{ env.NAME }}` and the fast-path switches (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** `--workers N`: wins over the pipeline's `workers`. */
  workers?: number;
  /** `--allow-plugin-path DIR`: folders outside the pipeline's project where local plugins may live. */
  allowPluginPaths?: string[];
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
}

/** What planning uses. */
export type PrepareOptions = Pick<FlowOptions, 'set' | 'env' | 'workers' | 'allowPluginPaths' | 'cwd' | 'observer'>;
