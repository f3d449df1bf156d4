import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { metricsExposition, metricsRegistry } from '#platform';

/**
 * The Grafana dashboard queries only series the apps define: a renamed metric must fail here, not show an empty
 * panel in production. Every family of the list has a panel.
 */
const dashboard = JSON.parse(readFileSync(new URL('../../infra/grafana/kinitro-dashboard.json', import.meta.url), 'utf8')) as {
  uid: string;
  panels: { id: number; title: string; targets: { expr: string }[] }[];
};

const SUFFIXES = /_(bucket|count|sum)$/;

describe('Grafana dashboard', () => {
  it('queries only metrics the apps define, and covers every named series', async () => {
    await metricsExposition(); // registers Node's default metrics too
    const defined = new Set(metricsRegistry.getMetricsAsArray().map((m) => m.name));
    const queried = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/kinitro_[a-z0-9_]+/g) ?? []));
    const family = (name: string) => (defined.has(name) ? name : name.replace(SUFFIXES, ''));
    expect(queried.map(family).filter((name) => !defined.has(name))).toEqual([]);
    for (const named of [
      'kinitro_consumer_pending_messages',
      'kinitro_projector_lag_events',
      'kinitro_projector_events_applied_total',
      'kinitro_dead_letters',
      'kinitro_episodes_total',
      'kinitro_agent_act_seconds',
      'kinitro_sandbox_verdicts_total',
      'kinitro_http_request_seconds',
    ]) {
      expect(queried.map(family)).toContain(named);
    }
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });
});
