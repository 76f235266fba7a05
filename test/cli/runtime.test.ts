// runtime.test.ts: the project runs on the Node it pins (the npm package `node`, installed into
// node_modules/.bin by `npm ci`), a release that still gets security fixes, and every installed
// package accepts it. npm scripts and `npx lvzhi` put node_modules/.bin first on PATH, so this
// file runs on the pinned Node exactly when `npm test` does.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string }; dependencies: Record<string, string>;
};
const semver = createRequire(path.join(root, 'package.json'))('semver') as {
  satisfies(v: string, range: string, o?: object): boolean; major(v: string): number;
};

describe('the Node runtime', () => {
  it('pins an exact Node release of an LTS line with security fixes (24: until April 2028)', () => {
    const pinned = pkg.dependencies.node!;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(semver.major(pinned)).toBeGreaterThanOrEqual(24);
    expect(semver.satisfies(pinned, pkg.engines.node)).toBe(true);
  });

  it('the tests run on the pinned Node, not the machine\'s own', () => {
    expect(process.versions.node).toBe(pkg.dependencies.node);
  });

  it('every installed package accepts that Node in its engines', () => {
    const refused: string[] = [];
    const walk = (dir: string): void => {
      for (const name of fs.readdirSync(dir)) {
        if (name.startsWith('.')) continue;
        const p = path.join(dir, name);
        if (name.startsWith('@')) { walk(p); continue; }
        const file = path.join(p, 'package.json');
        if (!fs.existsSync(file)) continue;
        const j = JSON.parse(fs.readFileSync(file, 'utf8')) as { name: string; version: string; engines?: { node?: unknown } };
        const range = j.engines?.node;
        if (typeof range === 'string' && !semver.satisfies(process.versions.node, range, { includePrerelease: true })) {
          refused.push(`${j.name}@${j.version} wants node ${range}`);
        }
        if (fs.existsSync(path.join(p, 'node_modules'))) walk(path.join(p, 'node_modules'));
      }
    };
    walk(path.join(root, 'node_modules'));
    expect(refused).toEqual([]);
  });
});
