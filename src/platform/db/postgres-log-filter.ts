/**
 * What of the embedded PostgreSQL server's own log (its stderr, passed through at LOG_LEVEL=debug) is
 * safe to keep. Postgres writes rows, keys and statements into its log: `DETAIL:  Key
 * (lower(email))=(someone@example.com) already exists.`, `STATEMENT:  INSERT …`, `DETAIL:
 * Parameters: $1 = '…'`, `CONTEXT:  COPY users, line 1: "…"`, and the lines of a multi-line statement
 * follow with no prefix at all. So this passes by allow-list, never by deny-list:
 *
 * - only lines that start with the server's own prefix (`%m [%p] `, the default `log_line_prefix`)
 *   and a primary severity (`LOG`, `ERROR`, `FATAL`, …); every secondary field (`DETAIL`, `HINT`,
 *   `CONTEXT`, `STATEMENT`, `QUERY`, `LOCATION`) and every line that is not a log line (continuations
 *   of a statement, anything else) is dropped;
 * - primary lines that log a statement (`statement: …`, `execute …`, `duration: … statement: …` when
 *   `log_statement` or `log_min_duration_statement` is on) are dropped;
 * - in what remains, every quoted text — values (`invalid input syntax for type uuid: "…"`) as well as
 *   names — is replaced by `…`.
 *
 * Output arrives in chunks that need not end at a line end, so the filter is stateful: a line is
 * judged once it is complete.
 */
const PREFIX = String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? [A-Za-z0-9+:_/-]+ \[\d+\] `;
const PRIMARY = 'DEBUG[1-5]|LOG|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC';
const LINE = new RegExp(`^(${PREFIX})(${PRIMARY}):  (.*)$`);
const STATEMENT_LOGGED = /^(?:duration: [\d.]+ ms\s+)?(?:statement|execute|bind|parse)\b/;

/** Quoted text ('…' or "…", doubled quotes inside included) becomes an ellipsis in the same quotes. */
export const scrubQuoted = (text: string): string =>
  text.replace(/'(?:[^']|'')*'?/g, "'…'").replace(/"(?:[^"]|"")*"?/g, '"…"');

const safeLine = (line: string): string | undefined => {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const [, prefix, severity, message] = m as unknown as [string, string, string, string];
  if (STATEMENT_LOGGED.test(message)) return undefined;
  return `${prefix}${severity}:  ${scrubQuoted(message)}`;
};

export interface PostgresLogFilter {
  /** The safe lines among the complete lines this chunk ends (a partial last line waits for the rest). */
  push(chunk: string): string[];
}

export const createPostgresLogFilter = (): PostgresLogFilter => {
  let pending = '';
  // set when a line grew too long to keep: its rest, when it ends, is dropped, never judged alone
  let truncated = false;
  return {
    push(chunk) {
      const lines = (pending + chunk).split(/\r?\n/);
      pending = lines.pop() ?? '';
      const safe: string[] = [];
      for (const line of lines) {
        if (truncated) {
          truncated = false;
          continue;
        }
        const kept = safeLine(line);
        if (kept !== undefined) safe.push(kept);
      }
      if (pending.length > 64 * 1024) {
        pending = '';
        truncated = true;
      }
      return safe;
    },
  };
};
