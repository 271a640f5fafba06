import { describe, expect, it } from 'vitest';
import { createPostgresLogFilter, scrubQuoted } from './postgres-log-filter.js';

/**
 * Chunks as the embedded PostgreSQL 18 server wrote them to its stderr (captured from the bundled
 * server: a unique violation on lower(email), a bad integer in a multi-line statement, a bad uuid
 * parameter, log_statement = 'all' with a bound parameter and with a literal).
 */
const RAW = [
  '2026-12-07 13:24:55.620 UTC [26568] LOG:  starting PostgreSQL 18.4 on x86_64-pc-linux-gnu, compiled by gcc (Ubuntu 7.5.0-3ubuntu1~18.04) 7.5.0, 64-bit\n',
  '2026-12-07 13:24:55.621 UTC [26568] LOG:  listening on IPv4 address "127.0.0.1", port 45111\n',
  '2026-12-07 13:24:55.724 UTC [26568] LOG:  database system is ready to accept connections\n',
  '2026-12-07 13:24:56.039 UTC [26578] ERROR:  duplicate key value violates unique constraint "t_lower_idx"\n2026-12-07 13:24:56.039 UTC [26578] DETAIL:  Key (lower(email))=(someone@example.com) already exists.\n2026-12-07 13:24:56.039 UTC [26578] STATEMENT:  INSERT INTO t VALUES ($1, $2)\n',
  "2026-12-07 13:24:56.044 UTC [26578] ERROR:  invalid input syntax for type integer: \"not a number\" at character 56\n2026-12-07 13:24:56.044 UTC [26578] STATEMENT:  INSERT INTO t\n\t  VALUES ('other@example.com',\n\t          'not a number')\n",
  '2026-12-07 13:24:56.045 UTC [26578] ERROR:  invalid input syntax for type uuid: "jane.doe@example.com"\n2026-12-07 13:24:56.045 UTC [26578] CONTEXT:  unnamed portal parameter $1 = \'...\'\n2026-12-07 13:24:56.045 UTC [26578] STATEMENT:  SELECT $1::uuid\n',
  "2026-12-07 13:24:56.050 UTC [26578] LOG:  execute <unnamed>: SELECT * FROM t WHERE email = $1\n2026-12-07 13:24:56.050 UTC [26578] DETAIL:  Parameters: $1 = 'someone@example.com'\n",
  "2026-12-07 13:24:56.054 UTC [26578] LOG:  statement: SELECT 1/0 FROM t WHERE email = 'someone@example.com'\n2026-12-07 13:24:56.054 UTC [26578] ERROR:  division by zero\n2026-12-07 13:24:56.054 UTC [26578] STATEMENT:  SELECT 1/0 FROM t WHERE email = 'someone@example.com'\n",
  '2026-12-07 13:24:56.574 UTC [26568] LOG:  received fast shutdown request\n',
  '2026-12-07 13:24:56.598 UTC [26568] LOG:  background worker "logical replication launcher" (PID 26577) exited with exit code 1\n',
  '2026-12-07 13:24:56.761 UTC [26568] LOG:  database system is shut down\n',
];

const EXPECTED = [
  '2026-12-07 13:24:55.620 UTC [26568] LOG:  starting PostgreSQL 18.4 on x86_64-pc-linux-gnu, compiled by gcc (Ubuntu 7.5.0-3ubuntu1~18.04) 7.5.0, 64-bit',
  '2026-12-07 13:24:55.621 UTC [26568] LOG:  listening on IPv4 address "…", port 45111',
  '2026-12-07 13:24:55.724 UTC [26568] LOG:  database system is ready to accept connections',
  '2026-12-07 13:24:56.039 UTC [26578] ERROR:  duplicate key value violates unique constraint "…"',
  '2026-12-07 13:24:56.044 UTC [26578] ERROR:  invalid input syntax for type integer: "…" at character 56',
  '2026-12-07 13:24:56.045 UTC [26578] ERROR:  invalid input syntax for type uuid: "…"',
  '2026-12-07 13:24:56.054 UTC [26578] ERROR:  division by zero',
  '2026-12-07 13:24:56.574 UTC [26568] LOG:  received fast shutdown request',
  '2026-12-07 13:24:56.598 UTC [26568] LOG:  background worker "…" (PID 26577) exited with exit code 1',
  '2026-12-07 13:24:56.761 UTC [26568] LOG:  database system is shut down',
];

const PERSONAL = [
  'someone@example.com',
  'other@example.com',
  'jane.doe@example.com',
  'not a number',
  'Parameters',
];

const passAll = (chunks: string[]): string[] => {
  const filter = createPostgresLogFilter();
  return chunks.flatMap((c) => filter.push(c));
};

describe('the filter on the embedded PostgreSQL log', () => {
  it('keeps the server lines, drops DETAIL, CONTEXT, STATEMENT, statement logging and continuation lines, and scrubs quoted text', () => {
    const out = passAll(RAW);
    expect(out).toEqual(EXPECTED);
    for (const value of PERSONAL) expect(out.join('\n')).not.toContain(value);
  });

  it('gives the same lines whatever the chunk boundaries (one chunk, or split inside lines)', () => {
    const text = RAW.join('');
    expect(passAll([text])).toEqual(EXPECTED);
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += 7) pieces.push(text.slice(i, i + 7));
    expect(passAll(pieces)).toEqual(EXPECTED);
  });

  it('judges a line only once it is complete', () => {
    const filter = createPostgresLogFilter();
    expect(filter.push('2026-12-07 13:24:56.039 UTC [26578] ERROR:  duplicate key value')).toEqual([]);
    expect(
      filter.push(' violates unique constraint "users_email_key"\n2026-12-07 13:24:56.039 UTC [26578] DET'),
    ).toEqual([
      '2026-12-07 13:24:56.039 UTC [26578] ERROR:  duplicate key value violates unique constraint "…"',
    ]);
    expect(filter.push('AIL:  Key (lower(email))=(someone@example.com) already exists.\n')).toEqual([]);
  });

  it('drops the other secondary fields and lines that are not the server log (initdb output, a statement line that looks like one)', () => {
    const out = passAll([
      '2026-12-07 13:30:00.000 UTC [1] HINT:  Check free disk space for "/var/tmp/someone@example.com".\n',
      "2026-12-07 13:30:00.000 UTC [1] QUERY:  SELECT name FROM users WHERE email = 'someone@example.com'\n",
      '2026-12-07 13:30:00.000 UTC [1] LOCATION:  exec_simple_query, postgres.c:1000\n',
      '[STDERR] initdb: warning: enabling "trust" authentication for local connections\n',
      "\t  WHERE email = 'x' -- 2026-12-07 13:30:00.000 UTC [1] LOG:  someone@example.com\n",
      "2026-12-07 13:30:00.000 UTC [1] LOG:  duration: 1.234 ms  statement: SELECT 'someone@example.com'\n",
      '2026-12-07 13:30:00.000 UTC [1] LOG:  duration: 0.050 ms  bind <unnamed>: SELECT $1\n',
      '2026-12-07 13:30:00.000 UTC [1] WARNING:  could not remove file "x": unterminated \'someone@example.com\n',
    ]);
    expect(out).toEqual([
      '2026-12-07 13:30:00.000 UTC [1] WARNING:  could not remove file "…": unterminated \'…\'',
    ]);
  });

  it('drops the rest of a line too long to keep instead of judging its tail alone', () => {
    const filter = createPostgresLogFilter();
    expect(filter.push(`2026-12-07 13:30:00.000 UTC [1] STATEMENT:  ${'x'.repeat(70 * 1024)}`)).toEqual([]);
    expect(filter.push('2026-12-07 13:30:00.000 UTC [1] LOG:  someone@example.com\n')).toEqual([]);
    expect(filter.push('2026-12-07 13:30:01.000 UTC [1] LOG:  next\n')).toEqual([
      '2026-12-07 13:30:01.000 UTC [1] LOG:  next',
    ]);
  });
});

describe('scrubQuoted', () => {
  it('replaces single- and double-quoted text, doubled quotes inside included', () => {
    expect(scrubQuoted(`value 'O''Brien' for "a ""b"" c" and 'x'`)).toBe(`value '…' for "…" and '…'`);
  });
});
