// The marker a thread writes while a plugin map step runs, read on the main thread after its death.
import { describe, expect, it } from 'vitest';
import { markedStep, newStepMarker, stepMark, useStepMarker } from '../../../engine/execution/step-marker.js';

describe('step marker', () => {
  it('reads the step a thread marked in the shared memory of its attempt, and none after the step', () => {
    const marker = newStepMarker();
    expect(markedStep(marker)).toBeUndefined();
    useStepMarker(marker);
    stepMark[0] = 2;
    expect(markedStep(marker)).toBe(2);
    stepMark[0] = -1;
    expect(markedStep(marker)).toBeUndefined();
  });

  it('without a marker (in-process, or an older caller) marks into memory nobody reads', () => {
    const marker = newStepMarker();
    useStepMarker(marker);
    useStepMarker(undefined);
    stepMark[0] = 1;
    expect(markedStep(marker)).toBeUndefined();
  });
});
