/** An API error spread over a form: per-field messages, and whatever names no field. */
export interface FormErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  general: string | null;
}

export function noFormErrors<F extends string>(): FormErrors<F> {
  return { fields: {}, general: null };
}

/**
 * Spreads an API message such as "body.url: must be …; body.timeoutMs: must be …" over the form's
 * fields; whatever names no field (a conflict, a refused session) is kept whole.
 */
export function splitApiError<F extends string>(message: string, isField: (name: string) => name is F): FormErrors<F> {
  const fields: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  for (const part of message.split(/; (?=body[.:])/)) {
    const match = /^body\.([A-Za-z]+)[^:]*: ([\s\S]*)$/.exec(part);
    const field = match?.[1];
    if (match && field && isField(field) && fields[field] === undefined) fields[field] = match[2];
    else rest.push(part);
  }
  return { fields, general: rest.length > 0 ? rest.join('; ') : null };
}
