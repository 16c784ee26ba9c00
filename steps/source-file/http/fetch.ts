// HTTP requests of the `file` source (Node's global fetch), retried: a connection error, a 5xx or a
// body cut short is tried again after a backoff (ATTEMPTS in all); a 4xx is at once an error naming
// the URL and the status. Bodies are asked for as they are stored (no Content-Encoding), so byte
// ranges are ranges of the file; a .gz file is inflated by the stream path like a local one.
import { FlowError } from '../../../engine/contract/errors.js';

/** Tries per request, and the wait before the second and third (then x4 each time). */
export const ATTEMPTS = 3;
export const backoff = { firstMs: 100 };

/** A response worth another try (5xx, a short body): what it was, for the final error. */
export class Retryable extends Error {}

/** A response that ends the read (4xx): thrown as is. */
export function statusError(url: string, response: Response): FlowError {
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const hint =
    response.status === 404
      ? 'no such file on the server: check the URL'
      : response.status === 401 || response.status === 403
        ? 'the server refuses the request: the URL may need a token, or be private'
        : 'check the URL';
  return new FlowError({ code: 'INPUT_FAILED', message: `cannot read ${url}: HTTP ${status}`, record: { file: url }, hint });
}

/**
 * fetch with retries: `take` checks the response and reads what is wanted of it (throwing Retryable
 * for what may go better next time); a 4xx ends at once, without being handed to `take`.
 */
export interface Ask {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function request<T>(url: string, init: Ask, take: (response: Response) => Promise<T>): Promise<T> {
  let last = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) await sleep(backoff.firstMs * 4 ** (attempt - 2), init.signal);
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers: { 'accept-encoding': 'identity', ...init.headers } });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      last = connectionProblem(error);
      continue;
    }
    if (response.status >= 500) {
      await response.body?.cancel().catch(() => {});
      last = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      continue;
    }
    if (response.status >= 400 && response.status !== 416) {
      await response.body?.cancel().catch(() => {});
      throw statusError(url, response);
    }
    try {
      return await take(response);
    } catch (error) {
      if (error instanceof Retryable) last = error.message;
      else if (error instanceof FlowError || init.signal?.aborted) throw error;
      // The body broke off: the connection failed halfway.
      else last = connectionProblem(error);
    }
  }
  throw new FlowError({
    code: 'INPUT_FAILED',
    message: `cannot read ${url}: ${last} (${ATTEMPTS} attempts)`,
    record: { file: url },
    hint: `flow tried ${ATTEMPTS} times, waiting ${backoff.firstMs} ms and then 4 times longer between tries: is the server up?`,
  });
}

/** fetch's "fetch failed" says little: its cause says what (ECONNREFUSED, a reset, a bad certificate). */
export function connectionProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code} ${message}` : message;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve();
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}
