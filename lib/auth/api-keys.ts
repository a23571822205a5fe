import { findApiKeyByHash, findApiKeyById, insertApiKey, listApiKeys, markApiKeyUsed, revokeApiKeyRow, type ApiKeyRow } from '@/lib/db/api-keys';
import { inTransaction } from '@/lib/db/client';
import { notFound } from '@/lib/http/errors';
import { CreateApiKeyInput, type ApiKeyDto, type CreatedApiKey } from '@/lib/schemas/auth';
import { audit } from './audit';
import { requirePermission } from './guard';
import type { Actor } from './permissions';
import { randomSecret, sha256 } from './secrets';

export const API_KEY_PREFIX = 'flk_';
const USED_AT_INTERVAL_MS = 60_000;

function toDto(row: ApiKeyRow): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy?.email ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Creates a key; the clear key is returned here once and never stored. */
export async function createApiKey({ actor, input, ip }: { actor: Actor; input: unknown; ip?: string }): Promise<CreatedApiKey> {
  requirePermission(actor, 'admin');
  const { name, scopes } = CreateApiKeyInput.parse(input);
  const key = randomSecret(API_KEY_PREFIX);
  const row = await inTransaction(async (tx) => {
    const created = await insertApiKey(
      { name, scopes, prefix: key.slice(0, API_KEY_PREFIX.length + 6), keyHash: sha256(key), createdById: actor.kind === 'user' ? actor.id : undefined },
      tx,
    );
    await audit({ actor, action: 'api_key.create', target: { type: 'api_key', id: created.id }, details: { name, scopes }, ip }, tx);
    return created;
  });
  return { apiKey: toDto(row), key };
}

export async function listKeys({ actor }: { actor: Actor }): Promise<ApiKeyDto[]> {
  requirePermission(actor, 'admin');
  return (await listApiKeys()).map(toDto);
}

export async function revokeApiKey({ actor, id, ip }: { actor: Actor; id: string; ip?: string }): Promise<ApiKeyDto> {
  requirePermission(actor, 'admin');
  const row = await inTransaction(async (tx) => {
    const existing = await findApiKeyById(id, tx);
    if (!existing) throw notFound(`API key ${id} not found`);
    if (existing.revokedAt) return existing;
    const revoked = await revokeApiKeyRow(id, new Date(), tx);
    await audit({ actor, action: 'api_key.revoke', target: { type: 'api_key', id }, details: { name: revoked.name }, ip }, tx);
    return revoked;
  });
  return toDto(row);
}

/**
 * The token of an `Authorization: Bearer <token>` header: null when there is no header,
 * undefined when there is one of another form.
 */
export function bearerToken(authorization: string | null): string | null | undefined {
  if (!authorization) return null;
  return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
}

/** The key's actor, or null when the key is unknown or revoked. */
export async function authenticateApiKey(key: string, now = new Date()): Promise<Extract<Actor, { kind: 'api_key' }> | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const row = await findApiKeyByHash(sha256(key));
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > USED_AT_INTERVAL_MS) await markApiKeyUsed(row.id, now);
  return { kind: 'api_key', id: row.id, name: row.name, scopes: row.scopes };
}
