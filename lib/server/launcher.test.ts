import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBuildStale } from './launcher';

describe('isBuildStale', () => {
  it('wants a build when there is none, or when a source file is newer than it', () => {
    const root = mkdtempSync(join(tmpdir(), 'fl-build-'));
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'app', 'page.tsx'), 'x');
    expect(isBuildStale(root)).toBe(true);

    mkdirSync(join(root, '.next'));
    writeFileSync(join(root, '.next', 'BUILD_ID'), 'id');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'app', 'page.tsx'), past, past);
    utimesSync(join(root, 'app'), past, past);
    expect(isBuildStale(root)).toBe(false);

    writeFileSync(join(root, 'app', 'page.tsx'), 'changed');
    expect(isBuildStale(root)).toBe(true);
  });
});
