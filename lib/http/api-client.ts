import type { z } from 'zod';

/** An error the API answered with: status plus the server's message (and its whole `error` object). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Browser-side JSON fetch against Faultline's API; parses the response with the given schema. */
export async function apiFetch<S extends z.ZodType>(
  path: string,
  schema: S,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<z.infer<S>> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
    signal: init.signal,
  });
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // fall through with the raw text as the message
  }
  if (!response.ok) {
    const error = (json as { error?: Record<string, unknown> } | undefined)?.error;
    const message = typeof error?.message === 'string' ? error.message : text || response.statusText;
    throw new ApiError(response.status, message, error ?? {});
  }
  return schema.parse(json);
}
