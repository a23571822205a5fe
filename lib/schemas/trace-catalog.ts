import { z } from 'zod';
import { NUL_MESSAGE, withoutNul } from './common';

// Contracts of the trace search form's option lists: GET /api/traces/services and
// GET /api/traces/operations?service=.

export const ServiceList = z.object({ services: z.array(z.string()) });
export type ServiceList = z.infer<typeof ServiceList>;

export const OperationListQuery = z.object({ service: z.string().trim().min(1, 'is required').max(256).refine(withoutNul, NUL_MESSAGE) });
export type OperationListQuery = z.infer<typeof OperationListQuery>;

export const OperationList = z.object({ operations: z.array(z.string()) });
export type OperationList = z.infer<typeof OperationList>;
