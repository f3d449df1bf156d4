import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { JsonLogger } from './logging.js';
import { withLogContext } from './log-context.js';
import { evaluationMetrics, metricsRegistry } from './metrics/index.js';

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, sink };
};

const valueOf = async (name: string, labels: Record<string, string>): Promise<number> => {
  const metric = (await metricsRegistry.getSingleMetric(name)!.get()) as {
    values: { labels: Record<string, string | number>; value: number; metricName?: string }[];
  };
  return metric.values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
};

describe('JsonLogger', () => {
  it('writes one JSON object per line with level, context, the error and the message ids in scope', () => {
    const { lines, sink } = capture();
    const logger = new JsonLogger(['error', 'warn', 'log'], sink);
    logger.log('plain', 'Ctx');
    logger.debug('below the level', 'Ctx');
    const failure = new Error('boom');
    withLogContext({ eventId: 'e-1', correlationId: 'c-1', causationId: 'k-1' }, () => logger.error('failed', failure, 'Ctx'));
    logger.error('startup failure', 'ExceptionHandler');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', context: 'Ctx', msg: 'plain' });
    expect(lines[0]).not.toHaveProperty('eventId');
    expect(lines[1]).toMatchObject({ level: 'error', context: 'Ctx', msg: 'failed', eventId: 'e-1', correlationId: 'c-1', causationId: 'k-1' });
    expect((lines[1]!.err as { stack: string }).stack).toContain('Error: boom');
  });

  it('nests contexts: an inner scope adds to the outer one', async () => {
    const { lines, sink } = capture();
    const logger = new JsonLogger(['log'], sink);
    await withLogContext({ durable: 'd' }, () => withLogContext({ eventId: 'e' }, async () => logger.log('inner')));
    expect(lines[0]).toMatchObject({ durable: 'd', eventId: 'e' });
  });
});

describe('evaluation metrics', () => {
  it('count episodes by outcome, verdicts by kind and fault, and time Act calls that fail too', async () => {
    const before = {
      recorded: await valueOf('kinitro_episodes_total', { outcome: 'recorded' }),
      timeout: await valueOf('kinitro_episodes_total', { outcome: 'TIMEOUT' }),
      verdict: await valueOf('kinitro_sandbox_verdicts_total', { verdict: 'TIMEOUT', fault: 'agent' }),
    };
    evaluationMetrics.episodeEnded({ kind: 'recorded' });
    evaluationMetrics.episodeEnded({ kind: 'verdict', verdict: { kind: 'TIMEOUT', fault: 'agent' } });
    expect(await valueOf('kinitro_episodes_total', { outcome: 'recorded' })).toBe(before.recorded + 1);
    expect(await valueOf('kinitro_episodes_total', { outcome: 'TIMEOUT' })).toBe(before.timeout + 1);
    expect(await valueOf('kinitro_sandbox_verdicts_total', { verdict: 'TIMEOUT', fault: 'agent' })).toBe(before.verdict + 1);

    const count = async () => {
      const metric = (await metricsRegistry.getSingleMetric('kinitro_agent_act_seconds')!.get()) as unknown as {
        values: { labels: Record<string, string>; value: number; metricName: string }[];
      };
      return metric.values.find((v) => v.metricName === 'kinitro_agent_act_seconds_count' && v.labels.transport === 'unary')?.value ?? 0;
    };
    const calls = await count();
    await expect(evaluationMetrics.timeAct('unary', async () => 'action')).resolves.toBe('action');
    await expect(evaluationMetrics.timeAct('unary', async () => Promise.reject(new Error('deadline')))).rejects.toThrow('deadline');
    expect(await count()).toBe(calls + 2);
  });
});
