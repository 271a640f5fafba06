import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Row {
  scenario: string;
  products?: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** ratio to its baseline, when it has one */
  ratio?: number;
  baseline?: string;
  /** the target in words, and whether it is met (undefined: no target) */
  target?: string;
  met?: boolean;
  note?: string;
}

const n = (v: number, digits = 0) =>
  v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (v: number) => (Number.isNaN(v) ? '' : v < 10 ? n(v, 1) : n(v));

export const table = (rows: Row[]): string => {
  const head = '| scenario | products | req/s | p50 ms | p95 ms | p99 ms | errors | ratio | target | met |';
  const sep = '|---|--:|--:|--:|--:|--:|--:|--:|---|---|';
  const body = rows.map(
    (r) =>
      `| ${r.scenario} | ${r.products === undefined ? '' : n(r.products)} | ${n(r.rps)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${n(r.errors)} | ${r.ratio === undefined ? '' : `${n(r.ratio, 2)}× ${r.baseline ?? ''}`} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |`,
  );
  return [head, sep, ...body].join('\n');
};

export const machine = async (versions: { postgres: string; redis: string }): Promise<string> => {
  const cpus = os.cpus();
  let commit = 'unknown';
  let dirty = false;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !==
      '';
  } catch {
    // not a git checkout
  }
  return [
    `- commit \`${commit}\`${dirty ? ' (with uncommitted changes)' : ''}`,
    `- ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${n(os.totalmem() / 2 ** 30, 1)} GiB, ${os.type()} ${os.release()}`,
    `- Node ${process.version}; ${versions.postgres}; Redis ${versions.redis}; broker: librdkafka mock cluster`,
    '- app, load generator (autocannon), Postgres, Redis and the broker all on this one machine',
  ].join('\n');
};

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

/** Replaces the generated block of docs/benchmarks.md (between the markers), keeping the prose around it. */
export const writeReport = (file: string, block: string): void => {
  const doc = readFileSync(file, 'utf8');
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${file} has no ${BEGIN} … ${END} block`);
  writeFileSync(file, `${doc.slice(0, a + BEGIN.length)}\n${block}\n${doc.slice(b)}`);
};
