'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { formatClock, formatElapsed } from '@/components/services/service-model';
import { ErrorMessage, QueryFeedback, SuccessMessage } from '@/components/ui/feedback';
import { noFormErrors, splitApiError as splitFieldErrors, type FormErrors as FormErrorsOf } from '@/components/ui/form-errors';
import { ApiError, apiFetch } from '@/lib/http/api-client';
import {
  ChaosState,
  FAULT_DESCRIPTIONS,
  FAULT_KINDS,
  FaultInjectionDto,
  type FaultKind,
  type FleetDescription,
  type InjectFaultInput,
} from '@/lib/schemas/chaos';

const CHAOS_KEY = ['chaos'];
const REFRESH_MS = 5_000;
const CLI_EXAMPLE = 'npm run chaos -- partition checkout:payment --for 2m';

const DURATIONS = [
  { label: '30 s', ms: 30_000 },
  { label: '1 min', ms: 60_000 },
  { label: '2 min', ms: 120_000 },
  { label: '5 min', ms: 300_000 },
  { label: 'until cleared', ms: null },
] as const;
const DEFAULT_DURATION_MS = 120_000;

type FieldName = 'kind' | 'target' | 'rate' | 'ms' | 'durationMs';
const FIELDS: readonly FieldName[] = ['kind', 'target', 'rate', 'ms', 'durationMs'];
const isField = (name: string): name is FieldName => (FIELDS as readonly string[]).includes(name);

type FormErrors = FormErrorsOf<FieldName>;
const NO_ERRORS: FormErrors = noFormErrors<FieldName>();
const splitApiError = (message: string): FormErrors => splitFieldErrors(message, isField);

const isEdgeFault = (kind: FaultKind) => FAULT_DESCRIPTIONS[kind].target === 'caller:callee';

/**
 * Which knobs a kind takes and their defaults, read from its description ("--rate, default 0.5")
 * so the panel offers exactly what the fleet and the CLI document.
 */
function knobsOf(kind: FaultKind): { rate: string | null; ms: string | null } {
  const effect = FAULT_DESCRIPTIONS[kind].effect;
  const knob = (flag: string) => {
    const match = new RegExp(`--${flag}(?:, default ([\\d.]+))?`).exec(effect);
    return match ? (match[1] ?? '') : null;
  };
  return { rate: knob('rate'), ms: knob('ms') };
}

/** Valid targets of a kind in the running fleet: its services, or each caller:callee pair of their calls. */
function targetsOf(kind: FaultKind, fleet: FleetDescription): { value: string; label: string }[] {
  if (isEdgeFault(kind)) {
    return fleet.services.flatMap((s) => s.calls.map((callee) => ({ value: `${s.name}:${callee}`, label: `${s.name} → ${callee}` })));
  }
  return fleet.services.map((s) => ({ value: s.name, label: `${s.name} (${s.role})` }));
}

function describeParams(params: FaultInjectionDto['params']): string {
  const parts = [
    params.rate !== undefined ? `rate ${params.rate}` : null,
    params.ms !== undefined ? `${params.ms} ms` : null,
    params.durationMs !== undefined ? `for ${formatElapsed(params.durationMs)}` : null,
  ].filter((p) => p !== null);
  return parts.length > 0 ? parts.join(' · ') : 'defaults';
}

function describeEnd(injection: FaultInjectionDto, now: number): string {
  if (injection.endedAt) return `cleared ${formatClock(injection.endedAt, now)}`;
  if (injection.status === 'scheduled-end-passed' && injection.endsAt) return `ended ${formatClock(injection.endsAt, now)} (duration)`;
  if (injection.status === 'ended') return 'gone from the fleet';
  if (injection.endsAt) return `ends ${formatClock(injection.endsAt, now)} (in ${formatElapsed(Date.parse(injection.endsAt) - now)})`;
  return 'until cleared';
}

const STATUS_LABEL: Record<FaultInjectionDto['status'], string> = { active: 'active', ended: 'ended', 'scheduled-end-passed': 'ended by duration' };

export function ChaosPanel() {
  const queryClient = useQueryClient();
  const chaos = useQuery({
    queryKey: CHAOS_KEY,
    queryFn: ({ signal }) => apiFetch('/api/chaos', ChaosState, { signal }),
    refetchInterval: REFRESH_MS,
  });
  const [notice, setNotice] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: CHAOS_KEY });

  const inject = useMutation({
    mutationFn: (input: InjectFaultInput) => apiFetch('/api/chaos', FaultInjectionDto, { method: 'POST', body: input }),
    onSuccess: (injection) => {
      const until = injection.endsAt ? `until ${formatClock(injection.endsAt, Date.now())}` : 'until cleared';
      setNotice(`Injected ${injection.kind} on ${injection.target}, ${until}.`);
      refresh();
    },
  });
  const clear = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/chaos/${id}`, FaultInjectionDto, { method: 'DELETE' }),
    onSuccess: (injection) => {
      setListError(null);
      setNotice(`Cleared ${injection.kind} on ${injection.target}.`);
      refresh();
    },
    onError: (err) => setListError(err.message),
  });

  const state = chaos.data;
  return (
    <>
      {state && !state.enabled && <ChaosOff />}
      {state?.enabled && (
        <section className="card" aria-labelledby="inject-fault">
          <h2 id="inject-fault">Inject a fault</h2>
          <p className="muted">
            Breaks the demo fleet on purpose. Each switch is recorded with who made it, so root-cause analysis can be checked against what really
            happened. The same is possible from a terminal: <code>{CLI_EXAMPLE}</code>
          </p>
          <ErrorMessage>{state.fleetError}</ErrorMessage>
          {state.fleet && (
            <InjectForm
              fleet={state.fleet}
              isPending={inject.isPending}
              onSubmit={async (input) => {
                setNotice(null);
                await inject.mutateAsync(input);
              }}
            />
          )}
          <SuccessMessage>{notice}</SuccessMessage>
        </section>
      )}

      <section className="card" aria-labelledby="fault-injections">
        <h2 id="fault-injections">Recorded faults</h2>
        <p className="muted">The newest 50 switches; refreshed every 5 seconds.</p>
        <QueryFeedback isPending={chaos.isPending} error={chaos.error} what="the chaos state" />
        <ErrorMessage>{listError}</ErrorMessage>
        {state && state.injections.length === 0 && <p className="muted">No faults injected yet.</p>}
        {state && state.injections.length > 0 && (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Target</th>
                  <th scope="col">Params</th>
                  <th scope="col">Started</th>
                  <th scope="col">Ends / ended</th>
                  <th scope="col">By</th>
                  <th scope="col">Source</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="muted">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.injections.map((injection) => (
                  <tr key={injection.id}>
                    <td>{injection.kind}</td>
                    <td>
                      <code>{injection.target}</code>
                    </td>
                    <td className="nowrap">{describeParams(injection.params)}</td>
                    <td className="nowrap">{formatClock(injection.startedAt, chaos.dataUpdatedAt)}</td>
                    <td className="nowrap">{describeEnd(injection, chaos.dataUpdatedAt)}</td>
                    <td>{injection.actor}</td>
                    <td>{injection.source}</td>
                    <td>
                      <span className={injection.status === 'active' ? 'badge status-warn' : 'badge'}>{STATUS_LABEL[injection.status]}</span>
                    </td>
                    <td>
                      {state.enabled && injection.status === 'active' && (
                        <button
                          type="button"
                          disabled={clear.isPending && clear.variables === injection.id}
                          onClick={() => {
                            setNotice(null);
                            clear.mutate(injection.id);
                          }}
                          aria-label={`Clear ${injection.kind} on ${injection.target}`}
                        >
                          Clear
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function ChaosOff() {
  return (
    <section className="card" aria-labelledby="chaos-off">
      <h2 id="chaos-off">Chaos is off</h2>
      <p className="muted">
        Faults can only be injected into the demo fleet. Start it with <code>npm run demo</code>: it runs a set of instrumented services, sends their
        telemetry here and starts Faultline with the address and token of the fleet&apos;s control server, which switches this panel on.
      </p>
      <p className="muted">
        While the demo runs, faults can also be switched from a terminal, for example <code>{CLI_EXAMPLE}</code>.
      </p>
    </section>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id}>
      {message}
    </p>
  );
}

/** Kind first: it decides which targets and knobs make sense. The API's messages land next to the fields they name. */
function InjectForm({ fleet, isPending, onSubmit }: { fleet: FleetDescription; isPending: boolean; onSubmit: (input: InjectFaultInput) => Promise<void> }) {
  const ids = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<FaultKind>('error-burst');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const targets = targetsOf(kind, fleet);
  const knobs = knobsOf(kind);

  // Focus lands on the first field the server rejected, whose message is then read with it.
  useEffect(() => {
    const first = FIELDS.find((f) => errors.fields[f]);
    const element = first ? formRef.current?.elements.namedItem(first) : null;
    if (element instanceof HTMLElement) element.focus();
  }, [errors]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: FieldName) => String(data.get(name) ?? '').trim();
    const number = (name: FieldName) => (text(name) === '' ? undefined : Number(text(name)));
    const input: InjectFaultInput = {
      kind,
      target: text('target'),
      rate: knobs.rate !== null ? number('rate') : undefined,
      ms: knobs.ms !== null ? number('ms') : undefined,
      durationMs: number('durationMs'),
      source: 'panel',
    };
    try {
      await onSubmit(input);
      setErrors(NO_ERRORS);
    } catch (err) {
      setErrors(err instanceof ApiError ? splitApiError(err.message) : { fields: {}, general: err instanceof Error ? err.message : String(err) });
    }
  }

  const errorId = (field: FieldName) => `${ids}-${field}-error`;
  const describe = (field: FieldName) => (errors.fields[field] ? { 'aria-invalid': true as const, 'aria-describedby': errorId(field) } : {});
  const field = (name: FieldName, label: string, input: ReactNode) => (
    <div className="probe-field">
      <label>
        {label}
        {input}
      </label>
      <FieldError id={errorId(name)} message={errors.fields[name]} />
    </div>
  );

  return (
    <form ref={formRef} className="probe-form" aria-labelledby="inject-fault" onSubmit={(e) => void handleSubmit(e)}>
      <div className="form-row">
        {field(
          'kind',
          'Fault',
          <select
            name="kind"
            value={kind}
            onChange={(e) => {
              const next = FAULT_KINDS.find((k) => k === e.target.value);
              if (next) setKind(next);
            }}
            aria-invalid={errors.fields.kind ? true : undefined}
            aria-describedby={errors.fields.kind ? `${errorId('kind')} ${ids}-effect` : `${ids}-effect`}
          >
            {FAULT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>,
        )}
        {field(
          'target',
          isEdgeFault(kind) ? 'Caller → callee' : 'Service',
          // Keyed by the target type so switching between service and edge faults starts from a valid choice.
          <select key={FAULT_DESCRIPTIONS[kind].target} name="target" required disabled={targets.length === 0} {...describe('target')}>
            {targets.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>,
        )}
        {knobs.rate !== null &&
          field(
            'rate',
            'Error rate (0.01–1)',
            <input key={`${kind}-rate`} name="rate" type="number" min={0.01} max={1} step={0.01} placeholder={knobs.rate || undefined} {...describe('rate')} />,
          )}
        {knobs.ms !== null &&
          field(
            'ms',
            'Added latency (ms)',
            <input key={`${kind}-ms`} name="ms" type="number" min={1} max={60000} step={1} placeholder={knobs.ms || undefined} {...describe('ms')} />,
          )}
        {field(
          'durationMs',
          'Duration',
          <select name="durationMs" defaultValue={String(DEFAULT_DURATION_MS)} {...describe('durationMs')}>
            {DURATIONS.map((d) => (
              <option key={d.label} value={d.ms === null ? '' : String(d.ms)}>
                {d.label}
              </option>
            ))}
          </select>,
        )}
        <div className="form-actions">
          <button className="primary" type="submit" disabled={isPending || targets.length === 0}>
            {isPending ? 'Injecting…' : 'Inject fault'}
          </button>
        </div>
      </div>
      <p className="muted" id={`${ids}-effect`}>
        <strong>{kind}</strong> on a {FAULT_DESCRIPTIONS[kind].target}: {FAULT_DESCRIPTIONS[kind].effect}.
      </p>
      {targets.length === 0 && <p className="muted">The fleet has no {isEdgeFault(kind) ? 'calls between services' : 'services'} to target with this fault.</p>}
      <ErrorMessage>{errors.general}</ErrorMessage>
    </form>
  );
}
