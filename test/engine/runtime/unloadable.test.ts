// unloadable.test.ts: a stored version that no longer compiles (an upgrade added a limit it breaks)
// is left out without stopping the start-up, and the start-up notice names it with the error's
// position, so the operator knows which cases cannot move on.

import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../engine/index.ts';
import { openDb } from '../../../engine/store/db.ts';
import { insertDefinition } from '../../../engine/store/process/index.ts';
import { testDatabase } from '../../helpers/db.ts';
import { openHarness } from './harness.ts';

describe('a stored version over the limits of this release', () => {
  it('is not loaded, and engine.warnings() names it with the first error and where it is', async () => {
    const place = await testDatabase(undefined, 'lvzhi-unloadable-');
    const h = await openHarness({ place });
    try {
      expect((await h.engine.warnings()).join('\n')).not.toContain('fx-expr-too-costly');
      // As if a version published before the expression limits existed: the row is in the table.
      const text = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/dsl/expr-too-costly.yaml'), 'utf8');
      const db = await openDb({ dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) });
      try {
        await insertDefinition(db, {
          kind: 'workflow', id: 'fx-expr-too-costly', version: 1, text, createdAt: '2026-03-01T00:00:00Z',
          hash: createHash('sha256').update(text).digest('hex'), authorId: null, message: '升级前发布',
        });
      } finally {
        await db.destroy();
      }
      await h.reopen();
      const warnings = (await h.engine.warnings()).join('\n');
      expect(warnings).toContain('fx-expr-too-costly@1');
      expect(warnings).toContain('15:11 LVZ_EXPR_TOO_COSTLY');
      expect(warnings.length).toBeLessThan(600); // one readable line, not the 200-character expression in full
    } finally {
      await h.close();
      await place.cleanup();
    }
  });
});
