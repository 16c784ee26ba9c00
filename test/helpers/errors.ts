// The errors a call throws: each error of a FlowErrors, or the one error.
import { FlowErrors, type FlowError } from '../../engine/contract/errors.js';

export function errorsOf(fn: () => unknown): FlowError[] {
  try {
    fn();
  } catch (err) {
    return err instanceof FlowErrors ? err.errors : [err as FlowError];
  }
  throw new Error('no error');
}
