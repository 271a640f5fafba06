import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  matches,
  parseTsquery,
  parseTsvector,
  queryTerms,
  rank,
  TrigramScorer,
  trigrams,
} from '../../src/catalog/adapters/search/in-memory/text-match.rules.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';

/**
 * The in-memory search index evaluates PostgreSQL's text-search and pg_trgm semantics itself; these
 * cases compare it with PostgreSQL on the same inputs, so a drift shows here rather than as a product
 * that one SEARCH_INDEX finds and the other does not.
 */
describe.skipIf(missing('postgres'))('in-process text matching agrees with PostgreSQL', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const texts = [
    'headphones bundle: headphone case and headphone stand',
    'kestrel classic lip balm',
    'montre connectée classique aurora aurora classic smartwatch',
    'two words',
    'nordwind trail running shoes laufschuhe',
  ];
  const queries = [
    'headphones',
    'haedphones',
    'hedphones',
    'word',
    'smartwach',
    'laufschuh',
    'kestrel balm',
    'xyz',
    'aurora',
  ];

  it('word_similarity: the same value as pg_trgm for every query and text', async () => {
    const universe = new Map<string, number>();
    const intern = (t: string) => {
      if (!universe.has(t)) universe.set(t, universe.size);
      return universe.get(t) as number;
    };
    const textIds = texts.map((t) => trigrams(t).map(intern));
    const scorer = new TrigramScorer(4);
    for (const q of queries) {
      const qTrigrams = [...new Set(trigrams(q))];
      const known = qTrigrams.filter((t) => universe.has(t)).map((t) => universe.get(t) as number);
      scorer.reset(known, qTrigrams.length, universe.size);
      for (const [i, text] of texts.entries()) {
        const { rows } = await client.query('SELECT word_similarity($1, $2)::float8 AS s', [q, text]);
        expect(scorer.similarity(textIds[i] as number[]), `${q} ~ ${text}`).toBeCloseTo(rows[0].s, 5);
      }
    }
  });

  it('tsquery matching: the same products as @@ for websearch queries, stemming and negation included', async () => {
    const docs = [
      { config: 'english', text: 'Running Shoes, light shoes for long runs' },
      { config: 'english', text: 'Headphones Bundle with a headphone stand' },
      { config: 'german', text: 'Laufschuhe für lange Läufe' },
    ];
    const questions = [
      'run',
      'shoes -headphones',
      'headphone or laufschuh',
      '"headphone stand"',
      'the',
      'laufschuhe',
    ];
    for (const doc of docs) {
      const { rows } = await client.query('SELECT to_tsvector($1::regconfig, $2)::text AS v', [
        doc.config,
        doc.text,
      ]);
      const lexemes = parseTsvector(rows[0].v);
      for (const question of questions) {
        for (const config of ['english', 'german']) {
          const { rows: r } = await client.query(
            'SELECT websearch_to_tsquery($1::regconfig, $2)::text AS q, to_tsvector($3::regconfig, $4) @@ websearch_to_tsquery($1::regconfig, $2) AS m',
            [config, question, doc.config, doc.text],
          );
          const query = parseTsquery(r[0].q);
          expect(query ? matches(query, lexemes) : false, `${question} (${config}) in "${doc.text}"`).toBe(
            r[0].m,
          );
        }
      }
    }
  });

  it('ranking: a term said more often and in heavier fields ranks higher, like ts_rank', async () => {
    const vector = async (sql: string) => parseTsvector((await client.query(sql)).rows[0].v);
    const bundle = await vector(
      `SELECT (setweight(to_tsvector('english', 'Headphones Bundle: Headphone Case and Headphone Stand'), 'A') || setweight(to_tsvector('english', 'headphones'), 'B'))::text AS v`,
    );
    const exact = await vector(`SELECT setweight(to_tsvector('english', 'Headphones'), 'A')::text AS v`);
    const described = await vector(
      `SELECT setweight(to_tsvector('english', 'Stand for headphones'), 'C')::text AS v`,
    );
    const terms = queryTerms(parseTsquery("'headphon'"));
    expect(rank(terms, bundle)).toBeGreaterThan(rank(terms, exact));
    expect(rank(terms, exact)).toBeGreaterThan(rank(terms, described));
    const { rows } = await client.query(
      `SELECT ts_rank(setweight(to_tsvector('english', 'Headphones'), 'A'), to_tsquery('english', 'headphones'))::float8 AS r`,
    );
    expect(rank(terms, exact)).toBeCloseTo(rows[0].r, 5);
  });
});
