/**
 * What a log line may say about an HTTP request: the method, the matched route and the URL with
 * everything that can be personal data or a credential taken out. Email addresses travel in query
 * strings (`GET /api/v1/orders/:id?email=…`, the guest lookup), a guest cart's id in the path is that
 * cart's only credential, and free text (`?q=`) is whatever someone typed; none of it may reach a log,
 * where erasure cannot follow it. The client address, port, user agent and other headers are personal
 * data or fingerprints and are not logged at all: the request id (and trace id) on every line is what
 * finds a request.
 *
 * Both lists are allow-lists: a parameter not named here has its value replaced by `[redacted]`, so a
 * new route or parameter is safe until someone decides its values may be logged.
 */

export const REDACTED = '[redacted]';

/**
 * Query parameters whose values may appear in a log line: paging, sorting, and filters by status,
 * category, price, time, locale or id. Anything else (`email`, `q`, `attr.*`, unknown names) is
 * logged as `name=[redacted]`.
 */
export const LOGGED_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'limit',
  'cursor',
  'sort',
  'status',
  'category',
  'minPrice',
  'maxPrice',
  'locale',
  'from',
  'to',
  'customerId',
  'orderId',
]);

/** Route parameters whose values may appear in a log line: resource ids, SKUs, slugs, provider names. */
export const LOGGED_PATH_PARAMS: ReadonlySet<string> = new Set([
  'id',
  'idOrSlug',
  'sku',
  'slug',
  'provider',
  'returnId',
  'deliveryId',
]);

/**
 * Collections whose ids are credentials: whoever knows a guest cart's id holds the cart (its contents,
 * the contact email and the shipping address). Their id is redacted whatever the parameter is called.
 */
const CREDENTIAL_COLLECTIONS: ReadonlySet<string> = new Set(['carts']);

/** A query parameter name that is a plain identifier (kept even when its value is not). */
const PLAIN_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

/** A path segment of an unmatched URL kept as it is: a word (`api`, `orders`, `jwks.json`) or `v1`. */
const PLAIN_SEGMENT = /^(?:[A-Za-z._-]{1,40}|v[0-9]{1,3})$/;

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/**
 * A query string (without `?`) with the value of every parameter outside {@link LOGGED_QUERY_PARAMS}
 * replaced by `[redacted]`, and names that are not plain identifiers replaced too.
 */
export const redactQuery = (query: string): string =>
  query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const rawName = eq === -1 ? part : part.slice(0, eq);
      const name = decoded(rawName);
      if (!PLAIN_NAME.test(name)) return REDACTED;
      if (eq === -1) return name;
      return LOGGED_QUERY_PARAMS.has(name) ? `${name}=${part.slice(eq + 1)}` : `${name}=${REDACTED}`;
    })
    .join('&');

/** A URL path followed by a query string, inside free text (a message, a stack). */
const PATH_AND_QUERY = /(\/[^\s?#"'`<>]*)\?([^\s#"'`<>]*)/g;

/**
 * Free text (a log message, an error's message or stack) with the query string of every URL in it
 * redacted as {@link redactQuery} does: Fastify's own warnings and some errors quote the request URL.
 */
export const redactQueriesIn = (text: string): string =>
  text.includes('?')
    ? text.replace(PATH_AND_QUERY, (_match, path: string, query: string) =>
        query ? `${path}?${redactQuery(query)}` : `${path}?`,
      )
    : text;

/**
 * The path of a matched route: its pattern with each parameter's value in place when the parameter is
 * in {@link LOGGED_PATH_PARAMS} and does not name a member of a credential collection.
 */
const routePath = (pattern: string, params: Record<string, unknown>): string =>
  pattern
    .split('/')
    .map((segment, i, segments) => {
      const param = /^:([A-Za-z0-9_]+)/.exec(segment)?.[1];
      if (param === undefined) return segment === '*' ? REDACTED : segment;
      const value = params[param];
      const credential = CREDENTIAL_COLLECTIONS.has(segments[i - 1] ?? '');
      return LOGGED_PATH_PARAMS.has(param) && !credential && typeof value === 'string'
        ? encodeURIComponent(value)
        : REDACTED;
    })
    .join('/');

/** The path of a URL that matched no route: its plain words kept, every other segment redacted. */
const unmatchedPath = (path: string): string =>
  path
    .split('/')
    .map((segment) => (segment === '' || PLAIN_SEGMENT.test(segment) ? segment : REDACTED))
    .join('/');

/** The parts of a Fastify request (or a bare `IncomingMessage`) the access line is made from. */
export interface LoggableRequest {
  method?: string | undefined;
  url?: string | undefined;
  params?: unknown;
  routeOptions?: { url?: string | undefined };
}

/** The URL of a request as a log line may show it (path and query redacted as above). */
export const loggableUrl = (req: LoggableRequest): string => {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const pattern = req.routeOptions?.url;
  const params = (req.params ?? {}) as Record<string, unknown>;
  const path = pattern ? routePath(pattern, params) : unmatchedPath(rawPath);
  const query = q === -1 ? '' : redactQuery(url.slice(q + 1));
  return query ? `${path}?${query}` : path;
};

/**
 * The `req` serializer of every logger: method, route pattern (`unmatched` when none) and the
 * redacted URL. No address, port, host or other header.
 */
export const serializeRequest = (req: LoggableRequest): Record<string, string> => ({
  method: String(req.method ?? ''),
  route: req.routeOptions?.url ?? 'unmatched',
  url: loggableUrl(req),
});
