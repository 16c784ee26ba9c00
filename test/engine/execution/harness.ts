// Resolved steps for the execution tests: a built-in by name, or a module of test/fixtures/unit/steps.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResolvedStep } from '../../../engine/contract/plan.js';
import type { StepKind } from '../../../engine/contract/step.js';
import { builtinModule } from '../../../steps/registry.js';

export const unitSteps = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/unit/steps');
export const context = { pipelineDir: unitSteps };

export function step(kind: StepKind, name: string, options: Record<string, unknown>, at: string): ResolvedStep {
  const module = builtinModule(kind, name) ?? pathToFileURL(path.join(unitSteps, name)).href;
  return { kind, name, module, options, path: at };
}

/** Chunk 3 of a range: the numbers 10 to 19. */
export const task = { chunk: { index: 3, data: { first: 10, count: 10 }, records: 10 } };
