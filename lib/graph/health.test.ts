import { describe, expect, it } from 'vitest';
import { classifyHealth, MIN_REQUESTS } from './health';

const slo = { latencyP99Ms: 500, errorRate: 0.05 };
const quiet = { requests: 100, errorRate: 0, p99: 50, probe: 'pass' as const, openBreakersAgainst: 0 };

describe('classifyHealth', () => {
  it('is ok when errors, latency, probes and breakers are all fine', () => {
    expect(classifyHealth(quiet, slo)).toEqual({ health: 'ok', reasons: [] });
  });

  it('is degraded at the error-rate SLO and failing at four times it', () => {
    expect(classifyHealth({ ...quiet, errorRate: 0.06 }, slo)).toEqual({ health: 'degraded', reasons: ['error rate 6.0% ≥ 5.0%'] });
    expect(classifyHealth({ ...quiet, errorRate: 0.25 }, slo)).toEqual({ health: 'failing', reasons: ['error rate 25% ≥ 20%'] });
  });

  it('is degraded when p99 breaks the latency SLO', () => {
    expect(classifyHealth({ ...quiet, p99: 800 }, slo)).toEqual({ health: 'degraded', reasons: ['p99 800 ms > SLO 500 ms'] });
  });

  it('ignores error rates and latency of a handful of requests', () => {
    expect(classifyHealth({ ...quiet, requests: MIN_REQUESTS - 1, errorRate: 0.5, p99: 5000 }, slo).health).toBe('ok');
  });

  it('follows the probes and callers’ open breakers, listing every reason', () => {
    expect(classifyHealth({ ...quiet, probe: 'fail', errorRate: 0.07 }, slo)).toEqual({ health: 'failing', reasons: ['probe failing', 'error rate 7.0% ≥ 5.0%'] });
    expect(classifyHealth({ ...quiet, probe: 'warn' }, slo).health).toBe('degraded');
    expect(classifyHealth({ ...quiet, openBreakersAgainst: 2 }, slo)).toEqual({ health: 'degraded', reasons: ['2 caller breakers open against it'] });
  });

  it('is unknown with neither traffic nor probes', () => {
    expect(classifyHealth({ requests: 0, errorRate: 0, p99: null, probe: null, openBreakersAgainst: 0 }, slo).health).toBe('unknown');
  });
});
