import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, RuleConfigInput } from '@/lib/schemas/alerts';
import { fromDisplay, fromRulesForm, restateMessage, RULE_FIELDS, splitRuleErrors, toDisplay, toRulesForm } from './alert-rules-model';

describe('units', () => {
  it('shows milliseconds as seconds and fractions as percent, and back without float noise', () => {
    expect(toDisplay('seconds', 60_000)).toBe(60);
    expect(fromDisplay('seconds', 1.5)).toBe(1500);
    expect(toDisplay('percent', 0.999)).toBe(99.9);
    expect(fromDisplay('percent', 99.9)).toBe(0.999);
    expect(fromDisplay('percent', 5)).toBe(0.05);
    expect(toDisplay('plain', 14.4)).toBe(14.4);
  });
});

describe('the rules form', () => {
  it('covers every setting of every rule, so a save sends a complete set', () => {
    const body = fromRulesForm(toRulesForm(DEFAULT_RULES));
    expect(body).toEqual(DEFAULT_RULES);
    expect(RuleConfigInput.safeParse(body).success).toBe(true);
  });

  it('shows the defaults in form units', () => {
    const form = toRulesForm(DEFAULT_RULES);
    expect(form.error_rate.values).toEqual({ threshold: '5', minRequests: '10', windowMs: '60' });
    expect(form.burn_rate.values.objective).toBe('99.9');
    expect(RULE_FIELDS.traffic_drop.map((f) => f.key)).toEqual(['dropTo', 'minBaselineRps', 'windowMs', 'baselineMs']);
  });

  it('sends a blank field as null for the API to name', () => {
    const form = toRulesForm(DEFAULT_RULES);
    form.queue_lag.values.thresholdMs = ' ';
    expect(fromRulesForm(form).queue_lag.thresholdMs).toBeNull();
  });
});

describe('splitRuleErrors', () => {
  it('maps rule.field paths to fields, restated in the form units', () => {
    const errors = splitRuleErrors('body.error_rate.threshold: must be at most 1; body.burn_rate.shortWindowMs: must be shorter than longWindowMs; body.queue_lag.windowMs: must be at least 1000 ms');
    expect(errors.fields).toEqual({
      'error_rate.threshold': 'must be at most 100%',
      'burn_rate.shortWindowMs': 'must be shorter than long window',
      'queue_lag.windowMs': 'must be at least 1 s',
    });
    expect(errors.general).toBeNull();
  });

  it('keeps what names no field whole', () => {
    expect(splitRuleErrors('Only admins can change alert rules')).toEqual({ fields: {}, general: 'Only admins can change alert rules' });
    expect(splitRuleErrors('body.error_rate: Unrecognized key: "extra"').general).toBe('body.error_rate: Unrecognized key: "extra"');
  });

  it('leaves plain numbers alone', () => {
    expect(restateMessage('probe_failing', RULE_FIELDS.probe_failing[0], 'must be at most 100')).toBe('must be at most 100');
  });
});
