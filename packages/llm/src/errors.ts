/**
 * Turns whatever an SDK threw into an LlmError a caller can act on. Messages are written here,
 * not copied from the provider, and carry no cause: provider bodies sometimes echo the key back.
 */
import { APICallError, RetryError } from 'ai';
import { redact } from './redact.js';
import { LlmError } from './types.js';

export interface ErrorContext {
  /** Shown to people, e.g. `anthropic` or `openai-compatible (groq)`. */
  provider: string;
  /** The env var holding the key, named in auth errors. */
  keyEnv?: string;
  /** The env var holding the base URL, named when nothing answers. */
  urlEnv?: string;
  /** Printable base URL (see displayUrl). */
  baseURL?: string;
  /** Values that must never appear in a message. */
  secrets: ReadonlyArray<string | undefined>;
  /** The caller's own signal: if it fired, the call was cancelled whatever the SDK says. */
  callerSignal?: AbortSignal;
  /** Our deadline: if it fired, the call timed out. */
  timeoutSignal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

/** Decoded from an SDK error before it is put into words. */
export interface ErrorFacts {
  status?: number;
  /** The provider's own explanation, if any; redacted and shortened before use. */
  detail?: string;
  /** The error or any cause carried a network error code such as ECONNREFUSED. */
  networkCode?: string;
  /** The body could not be parsed or had the wrong shape. */
  malformed?: boolean;
  aborted?: boolean;
  attempts?: number;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

const MALFORMED_ERRORS = new Set([
  'AI_JSONParseError',
  'AI_TypeValidationError',
  'AI_InvalidResponseDataError',
  'AI_EmptyResponseBodyError',
  'AI_NoContentGeneratedError',
  'AI_NoOutputGeneratedError',
  'SyntaxError',
]);

/** Facts from AI SDK errors (RetryError around APICallError, parse and validation errors). */
export function aiSdkFacts(error: unknown): ErrorFacts {
  let attempts: number | undefined;
  let current = error;
  if (RetryError.isInstance(current)) {
    attempts = current.errors.length;
    current = current.lastError;
  }
  const facts: ErrorFacts = { ...genericFacts(current), ...(attempts ? { attempts } : {}) };
  if (APICallError.isInstance(current)) {
    const status = current.statusCode;
    if (status !== undefined && status >= 400) facts.status = status;
    // A 2xx whose body the SDK could not parse or validate ("Invalid JSON response").
    else if (status !== undefined) facts.malformed = true;
    facts.detail = current.message;
  }
  return facts;
}

/** Facts any error can offer: network codes and abort/parse markers anywhere in the cause chain. */
export function genericFacts(error: unknown): ErrorFacts {
  const facts: ErrorFacts = {};
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) facts.networkCode ??= code;
    if (current.name === 'AbortError' || current.name === 'TimeoutError') facts.aborted = true;
    if (MALFORMED_ERRORS.has(current.name)) facts.malformed = true;
    // AggregateError (happy-eyeballs connects to ::1 and 127.0.0.1) hides the code one level down.
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const innerCode = (inner as { code?: unknown }).code;
        if (typeof innerCode === 'string' && NETWORK_CODES.has(innerCode)) facts.networkCode ??= innerCode;
      }
    }
    current = current.cause;
  }
  return facts;
}

export function toLlmError(error: unknown, context: ErrorContext, facts: ErrorFacts): LlmError {
  if (error instanceof LlmError) {
    return new LlmError(error.kind, redact(error.message, context.secrets), error.status);
  }
  const { provider } = context;
  const where = context.baseURL ? ` at ${context.baseURL}` : '';
  const retries = facts.attempts && facts.attempts > 1 ? ` after ${facts.attempts - 1} retries` : '';
  const detail = facts.detail ? `: ${shorten(redact(facts.detail, context.secrets))}` : '';

  if (context.callerSignal?.aborted)
    return new LlmError('cancelled', `${provider} request cancelled by the caller`);
  if (context.timeoutSignal?.aborted) {
    const ms = context.timeoutMs ? ` within ${context.timeoutMs} ms` : '';
    return new LlmError('timeout', `${provider} did not answer${ms} (REQUEST_TIMEOUT_MS)`);
  }
  const status = facts.status;
  if (status === 401 || status === 403) {
    const check = context.keyEnv ? `check ${context.keyEnv}` : 'check its API key';
    return new LlmError(
      'auth',
      `${provider} refused the credentials (HTTP ${status}); ${check}${status === 403 ? ' and its access to this model' : ''}`,
      status,
    );
  }
  if (status === 429) {
    return new LlmError('rate_limited', `${provider} is rate limiting requests (HTTP 429)${retries}`, status);
  }
  if (status !== undefined && status >= 500) {
    return new LlmError('server', `${provider} server error (HTTP ${status})${retries}${detail}`, status);
  }
  if (status !== undefined && status >= 400) {
    // Unknown model, bad parameter, context too long: the request as configured cannot succeed.
    return new LlmError('config', `${provider} rejected the request (HTTP ${status})${detail}`, status);
  }
  if (facts.networkCode) {
    const check = context.urlEnv ? `; is it running? check ${context.urlEnv}` : '';
    return new LlmError('unavailable', `cannot reach ${provider}${where} (${facts.networkCode})${check}`);
  }
  if (facts.malformed) {
    return new LlmError(
      'bad_response',
      `${provider} sent a response that could not be read${detail}`,
      status,
    );
  }
  if (facts.aborted) return new LlmError('cancelled', `${provider} request was aborted`);
  const message = error instanceof Error ? error.message : String(error);
  if (status === undefined && /fetch failed|connect|socket|network/i.test(message)) {
    return new LlmError(
      'unavailable',
      `cannot reach ${provider}${where}: ${shorten(redact(message, context.secrets))}`,
    );
  }
  return new LlmError(
    'bad_response',
    `${provider} call failed: ${shorten(redact(message, context.secrets))}`,
    status,
  );
}

function shorten(text: string, max = 240): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
