/**
 * Errors that say the database cannot be reached right now — as opposed to a statement that failed:
 * a refused or lost connection, a server shutting down, too many connections, or this instance's
 * pool saturated (connection-guard.ts). Callers retry later (consumers hold the message; checkout
 * leaves an order PAYMENT_PENDING for the worker) instead of treating it as the request's fault.
 */
/** Node socket errors that mean the database is out of reach. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
/** SQLSTATEs of a lost or refused connection: class 08, admin/crash shutdown, cannot connect now, too many connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', 'POOL_SATURATED']);
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection is not established/i,
  /Cannot execute operation on ".*" connection because connection is not yet established/i,
];

/** true when `err` (or what it wraps) says the database cannot be reached, as opposed to a failed statement. */
export const isDatabaseUnavailable = (err: unknown, depth = 0): boolean => {
  if (!(err instanceof Error) || depth > 4) return false;
  const code = (err as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08...$/.test(code))
  ) {
    return true;
  }
  if (UNAVAILABLE_MESSAGES.some((re) => re.test(err.message))) return true;
  const nested: unknown[] = [(err as { driverError?: unknown }).driverError, err.cause];
  if (err instanceof AggregateError) nested.push(...err.errors);
  return nested.some((inner) => isDatabaseUnavailable(inner, depth + 1));
};
