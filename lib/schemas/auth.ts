import { z } from 'zod';

// Browser-safe contracts shared by the API routes, the UI and the CLI.

export const Role = z.enum(['viewer', 'responder', 'editor', 'admin']);
export type Role = z.infer<typeof Role>;

export const ApiKeyScope = z.enum(['ingest', 'read', 'admin']);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an e-mail address' }).max(254));

export const Password = z.string().min(12, 'must be at least 12 characters').max(1024, 'must be at most 1024 characters');

export const LoginInput = z.object({
  email: z.string().trim().toLowerCase().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(1024),
});
export type LoginInput = z.infer<typeof LoginInput>;

export const UserDto = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: Role,
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type UserDto = z.infer<typeof UserDto>;

export const CreateUserInput = z.object({
  email: Email,
  name: z.string().trim().min(1).max(200).optional(),
  role: Role,
  password: Password,
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const UpdateUserInput = z
  .object({
    role: Role.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined, 'give role or disabled');
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

export const ApiKeyDto = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(ApiKeyScope),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyDto = z.infer<typeof ApiKeyDto>;

export const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1, 'is required').max(100),
  scopes: z.array(ApiKeyScope).min(1, 'pick at least one scope').transform((s) => [...new Set(s)]),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

/** The only response that ever carries a key in clear: shown once, never stored. */
export const CreatedApiKey = z.object({ apiKey: ApiKeyDto, key: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const MeDto = z.object({
  kind: z.enum(['user', 'api_key']),
  id: z.string(),
  label: z.string(),
  role: Role.nullable(),
  scopes: z.array(ApiKeyScope),
});
export type MeDto = z.infer<typeof MeDto>;

export const AuditEntryDto = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.unknown(),
});
export type AuditEntryDto = z.infer<typeof AuditEntryDto>;
