import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

describe('Metrics.eventCounter', () => {
  it('shows a series per event at 0 before any happened, counts each apart, and is one counter per name', async () => {
    const metrics = new Metrics(false);
    const counter = metrics.eventCounter('things_total', 'Things that happened', ['made', 'lost']);
    expect(await metrics.registry.getSingleMetricAsString('things_total')).toContain(
      'things_total{event="made"} 0\nthings_total{event="lost"} 0',
    );
    counter.inc({ event: 'made' });
    metrics.eventCounter('things_total', 'Things that happened', ['made', 'lost']).inc({ event: 'made' });
    expect(await metrics.registry.getSingleMetricAsString('things_total')).toContain(
      'things_total{event="made"} 2\nthings_total{event="lost"} 0',
    );
  });
});
