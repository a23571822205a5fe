import { describe, expect, it } from 'vitest';
import { parseDuration } from '@/lib/schemas/chaos';
import { parseFaultArgs } from './chaos-cli';
import { parseDemoArgs } from './demo';

describe('npm run chaos arguments', () => {
  it('reads a fault, its target and options', () => {
    expect(parseFaultArgs(['partition', 'checkout:payment', '--for', '2m'])).toEqual({ kind: 'partition', target: 'checkout:payment', durationMs: 120_000 });
    expect(parseFaultArgs(['error-burst', 'payment', '--rate', '0.3', '--for', '90s'])).toEqual({ kind: 'error-burst', target: 'payment', rate: 0.3, durationMs: 90_000 });
    expect(parseFaultArgs(['latency', 'cart', '--ms', '1200'])).toEqual({ kind: 'latency', target: 'cart', ms: 1200 });
  });

  it.each([
    [['meltdown', 'cart'], /kind: must be one of/],
    [['partition', 'checkout'], /target: must name two services as caller:callee/],
    [['latency', 'checkout:payment'], /target: must be a service name/],
    [['error-burst', 'cart', '--rate', '3'], /rate: must be between 0.01 and 1/],
    [['latency', 'cart', '--for', 'soon'], /--for must be a duration/],
    [['latency', 'cart', '--colour'], /--colour needs a value/],
    [['latency', 'cart', '--colour', 'red'], /unknown option --colour/],
  ])('refuses %j with the reason', (args, message) => {
    expect(() => parseFaultArgs(args)).toThrow(message);
  });

  it('reads durations in ms, s, m and h (seconds by default)', () => {
    expect([parseDuration('250ms'), parseDuration('30'), parseDuration('1.5m'), parseDuration('1h'), parseDuration('x')]).toEqual([250, 30_000, 90_000, 3_600_000, null]);
  });
});

describe('npm run demo arguments', () => {
  it('reads the rate, a scenario and its timing', () => {
    const options = parseDemoArgs(['--rps', '10', '--scenario', 'partition', '--healthy', '30s', '--fault-for', '1m']);
    expect(options).toMatchObject({ rps: 10, scenario: { name: 'partition' }, timing: { healthyMs: 30_000, faultMs: 60_000 } });
  });

  it('names the scenarios when given an unknown one', () => {
    expect(() => parseDemoArgs(['--scenario', 'volcano'])).toThrow(/unknown scenario "volcano"[\s\S]*cascading-timeout/);
    expect(() => parseDemoArgs(['--rps', '0'])).toThrow(/--rps must be between/);
  });
});
