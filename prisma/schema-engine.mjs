#!/usr/bin/env node
// Stand-in for Prisma's native schema engine, which cannot be downloaded on offline machines.
// prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here; Prisma's CLI spawns it exactly as it
// would spawn the native binary (same argv, JSON-RPC over stdio) and every call is forwarded to
// @prisma/schema-engine-wasm running over @prisma/adapter-pg.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

const require = createRequire(import.meta.url);

function logLine(level, message, extra = {}) {
  // Prisma's CLI reads the engine's stderr as JSON lines and surfaces ERROR-level messages.
  process.stderr.write(
    `${JSON.stringify({ timestamp: new Date().toISOString(), level, target: 'schema_engine::logger', fields: { message, ...extra } })}\n`,
  );
}

function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, cli: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--datamodels') args.datamodels.push(argv[++i]);
    else if (arg === '--datasource') args.datasource = JSON.parse(argv[++i]);
    else if (arg === '--enabled-preview-features' || arg === '--extension-types') i++;
    else if (arg === 'cli') args.cli = argv[++i];
  }
  return args;
}

// A connection string made pg ignore the `database` override the shadow-database code passes,
// so the connection is always described by separate fields.
function connectionFields(url) {
  const u = new URL(url);
  const fields = {
    host: decodeURIComponent(u.hostname) || u.searchParams.get('host') || 'localhost',
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
  };
  // postgresql://user@/db?host=/socket/dir form
  if (!u.hostname && u.searchParams.get('host')) fields.host = u.searchParams.get('host');
  return fields;
}

// adapter-pg refuses catalog column types that the schema describer reads (Prisma issue #27403).
// These OIDs are rewritten to text (or text[]) before the adapter sees them; "char" (oid 18) is
// marked so the adapter wrapper can report it as Prisma's Character column type.
const TEXT_OID = 25;
const TEXT_ARRAY_OID = 1009;
const AS_TEXT = new Set([22, 24, 27, 28, 29, 30, 194, 1033, 2202, 2203, 2204, 2205, 2206, 3220, 3361, 3402, 3734, 3769, 4089, 4096]);
const AS_TEXT_ARRAY = new Set([1003, 1008, 1034, 2207, 2208, 2209, 2210, 2211, 4090, 4097]);
const CHAR_OID = 18;
const CHAR_COLUMNS = Symbol('charColumns');

function remapFields(result) {
  for (const r of Array.isArray(result) ? result : [result]) {
    if (!r || !Array.isArray(r.fields)) continue;
    const charColumns = [];
    r.fields.forEach((field, i) => {
      if (field.dataTypeID === CHAR_OID) {
        charColumns.push(i);
        field.dataTypeID = TEXT_OID;
      } else if (AS_TEXT.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
      else if (AS_TEXT_ARRAY.has(field.dataTypeID)) field.dataTypeID = TEXT_ARRAY_OID;
    });
    if (charColumns.length > 0 && Array.isArray(r.rows)) {
      Object.defineProperty(r.rows, CHAR_COLUMNS, { value: charColumns });
    }
  }
  return result;
}

class CatalogFriendlyClient extends pg.Client {
  query(config, values, callback) {
    if (typeof values === 'function') {
      const cb = values;
      return super.query(config, (err, res) => cb(err, err ? res : remapFields(res)));
    }
    if (typeof callback === 'function') {
      return super.query(config, values, (err, res) => callback(err, err ? res : remapFields(res)));
    }
    const ret = super.query(config, values);
    return ret && typeof ret.then === 'function' ? ret.then(remapFields) : ret;
  }
}

const COLUMN_TYPE_CHARACTER = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils

function withCharacterColumns(queryable) {
  return new Proxy(queryable, {
    get(target, prop, receiver) {
      if (prop === 'queryRaw') {
        return async (query) => {
          const result = await target.queryRaw(query);
          const charColumns = result.rows[CHAR_COLUMNS];
          if (charColumns) for (const i of charColumns) result.columnTypes[i] = COLUMN_TYPE_CHARACTER;
          return result;
        };
      }
      if (prop === 'executeScript' && typeof target.underlyingDriver === 'function') {
        // adapter-pg splits scripts on every ";" (even inside comments, strings and function
        // bodies); PostgreSQL's simple query protocol runs the whole script as one unit instead.
        return async (script) => {
          try {
            await target.underlyingDriver().query(script);
          } catch (err) {
            throw new Error(`${err.message}${err.position ? ` (at character ${err.position})` : ''}`);
          }
        };
      }
      if (prop === 'startTransaction') {
        return async (...args) => withCharacterColumns(await target.startTransaction(...args));
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function adapterFactory(url, shadowUrl) {
  const mainFields = connectionFields(url);
  const main = new PrismaPg({ ...mainFields, Client: CatalogFriendlyClient });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => withCharacterColumns(await main.connect()),
    connectToShadowDb: async () => {
      if (shadowUrl) {
        return withCharacterColumns(await new PrismaPg({ ...connectionFields(shadowUrl), Client: CatalogFriendlyClient }).connect());
      }
      // adapter-pg's own throwaway shadow database is dropped while its pool still holds a
      // connection ("is being accessed by other users"), so it is managed here: close, then drop.
      const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
      const admin = new pg.Client(mainFields);
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      const adapter = await new PrismaPg({ ...mainFields, database: name, Client: CatalogFriendlyClient }).connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        try {
          await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await admin.end();
        }
      };
      return withCharacterColumns(adapter);
    },
  };
}

async function loadWasmEngine() {
  // The package's entry point imports the .wasm file as an ES module, which Node 20 cannot do;
  // instantiate it by hand and hand the instance to the generated bindings instead.
  const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const pkgDir = dirname(bindingsPath);
  const bindings = await import(pathToFileURL(bindingsPath).href);
  const bytes = await readFile(join(pkgDir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bindings;
}

function resolveUrls(datasource) {
  const url = datasource?.url ?? process.env.DATABASE_URL;
  if (!url) throw new Error('No datasource URL: set DATABASE_URL or datasource.url in prisma.config.ts');
  return { url, shadowUrl: datasource?.shadowDatabaseUrl ?? process.env.SHADOW_DATABASE_URL };
}

async function runCliCommand(command, datasource) {
  const { url } = resolveUrls(datasource);
  const fields = connectionFields(url);
  if (command === 'can-connect-to-database') {
    const client = new pg.Client(fields);
    await client.connect();
    await client.end();
    return;
  }
  if (command === 'create-database' || command === 'drop-database') {
    const admin = new pg.Client({ ...fields, database: 'postgres' });
    await admin.connect();
    try {
      const name = `"${fields.database.replaceAll('"', '""')}"`;
      await admin.query(command === 'create-database' ? `CREATE DATABASE ${name}` : `DROP DATABASE IF EXISTS ${name}`);
    } finally {
      await admin.end();
    }
    return;
  }
  throw new Error(`Unsupported schema engine command: ${command}`);
}

function errorCodeOf(err) {
  const pgCode = err && typeof err === 'object' ? err.code : undefined;
  if (pgCode === '3D000') return 'P1003';
  if (pgCode === 'ECONNREFUSED' || pgCode === 'ENOTFOUND') return 'P1001';
  if (pgCode === '28P01' || pgCode === '28000') return 'P1000';
  return undefined;
}

function toRpcError(err) {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : (err?.message ?? JSON.stringify(err));
  return {
    code: 4466,
    message: 'An error happened. Check the data field for details.',
    data: {
      is_panic: Boolean(err && err.is_panic),
      message,
      error_code: err?.error_code ?? errorCodeOf(err),
      meta: err?.meta,
    },
  };
}

// The CLI's method names where they differ from the wasm engine's.
const METHOD_ALIASES = { getDatabaseVersion: 'version' };

async function serveJsonRpc(args) {
  const { url, shadowUrl } = resolveUrls(args.datasource);
  const datamodels = args.datamodels.map((path) => [path, readFileSync(path, 'utf8')]);
  const { SchemaEngine } = await loadWasmEngine();
  const factory = bindMigrationAwareSqlAdapterFactory(adapterFactory(url, shadowUrl));
  const engine = await SchemaEngine.new(
    { datamodels: datamodels.length > 0 ? datamodels : undefined },
    (log) => process.stderr.write(`${typeof log === 'string' ? log : JSON.stringify(log)}\n`),
    factory,
  );

  const send = (msg) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
  const pending = new Set();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      send({ id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    // Responses to our own `print` requests carry an id but no method.
    if (request.id === undefined || request.method === undefined) return;
    const method = METHOD_ALIASES[request.method] ?? request.method;
    const fn = engine[method];
    if (typeof fn !== 'function') {
      send({ id: request.id, error: { code: -32601, message: `Method not found: ${request.method}` } });
      return;
    }
    const work = Promise.resolve()
      .then(() => fn.call(engine, request.params ?? {}))
      .then(
        (result) => {
          // The native engine prints a diff through a `print` request to the CLI; the wasm one
          // returns it, so forward it the way the CLI expects or `migrate diff --script` prints nothing.
          if (method === 'diff' && typeof result?.stdout === 'string' && result.stdout !== '') {
            send({ id: `print-${request.id}`, method: 'print', params: { content: result.stdout } });
          }
          send({ id: request.id, result: result ?? null });
        },
        (err) => send({ id: request.id, error: toRpcError(err) }),
      )
      .finally(() => pending.delete(work));
    pending.add(work);
  });
  await new Promise((resolve) => lines.on('close', resolve));
  await Promise.allSettled([...pending]);
}

const args = parseArgs(process.argv.slice(2));
try {
  if (args.cli) {
    // Prisma's CLI skips the first stderr line of a `cli` command, as the native engine opens with one.
    logLine('INFO', `Starting schema engine CLI command ${args.cli}`);
    await runCliCommand(args.cli, args.datasource);
  }
  else await serveJsonRpc(args);
  process.exit(0);
} catch (err) {
  logLine('ERROR', err instanceof Error ? err.message : String(err), { error_code: errorCodeOf(err) });
  process.exit(1);
}
