import { inject } from 'vitest';
import { postgresUnavailable } from './database.js';

type Need = 'postgres' | 'redis' | 'kafka';

/**
 * Returns the reason a suite cannot run (and prints it), or null when every service it needs is here.
 * Use as `describe.skipIf(missing('postgres', 'kafka'))(...)`: a skipped suite always says why.
 */
export const missing = (...needs: Need[]): string | null => {
  const reasons: string[] = [];
  for (const need of needs) {
    if (need === 'postgres') {
      const r = postgresUnavailable();
      if (r) reasons.push(`postgres: ${r}`);
    }
    if (need === 'redis' && !inject('redisUrl')) reasons.push(`redis: ${inject('redisReason')}`);
    if (need === 'kafka' && !inject('kafkaBrokers')) reasons.push(`kafka: ${inject('kafkaReason')}`);
  }
  if (reasons.length === 0) return null;
  const reason = reasons.join('; ');
  console.warn(`[skipped] ${reason}`);
  return reason;
};
