/**
 * The built manifests ask for no more than the README's Security section justifies: Glean's hosts as
 * the only required ones, every permission explained in the README's permission table (and no row
 * there for a permission that is gone), a CSP without `unsafe-eval`, no door for web pages or other
 * extensions, and dev builds that differ only by loopback hosts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEV_HOSTS } from '../../scripts/targets.ts';

const root = new URL('../..', import.meta.url).pathname;

interface Manifest {
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_security_policy?: { extension_pages?: string; sandbox?: string } | string;
  externally_connectable?: unknown;
  web_accessible_resources?: unknown;
  content_scripts?: unknown;
  [key: string]: unknown;
}

function manifestOf(build: string): Manifest {
  const file = join(root, 'dist', build, 'manifest.json');
  assert.ok(existsSync(file), `dist/${build} is missing: run npm run build first`);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/**
 * The README's permission table, under "## Security": each row's first cell names one or more
 * permissions in backticks, its second says why. Returns why, by permission.
 */
function justifiedPermissions(readme: string): Map<string, string> {
  const security = readme.split(/^## /m).find((section) => section.startsWith('Security'));
  assert.ok(security, 'README.md has a "## Security" section');
  const lines = security.split('\n');
  const header = lines.findIndex((line) => /^\|\s*permission\s*\|\s*why\s*\|/i.test(line));
  assert.ok(header >= 0, 'the Security section has a "| permission | why |" table');
  const reasons = new Map<string, string>();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [, names = '', why = ''] = line.split('|').map((cell) => cell.trim());
    for (const [, name = ''] of names.matchAll(/`([^`]+)`/g)) reasons.set(name, why);
  }
  return reasons;
}

const requested = (manifest: Manifest): string[] => [
  ...(manifest.permissions ?? []),
  ...(manifest.optional_permissions ?? []),
  ...(manifest.host_permissions ?? []),
  ...(manifest.optional_host_permissions ?? []),
];

const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('the README permission table as this test reads it', () => {
  test('finds each row and its reason', () => {
    const table = ['## Security', '', '| permission | why |', '|---|---|', '| `storage` | settings |', '| `https://*/*`, `http://*/*` (optional host) | sites |', '', '| other | table |'].join('\n');
    assert.deepEqual([...justifiedPermissions(table)], [
      ['storage', 'settings'],
      ['https://*/*', 'sites'],
      ['http://*/*', 'sites'],
    ]);
  });
});

for (const build of ['chrome', 'firefox'] as const) {
  describe(`dist/${build}/manifest.json`, () => {
    const manifest = manifestOf(build);

    test('requires host access to Glean-hosted instances only', () => {
      assert.deepEqual(manifest.host_permissions, ['https://*.glean.com/*']);
    });

    test('asks for nothing the README does not justify, and the README justifies nothing it does not ask for', () => {
      const reasons = justifiedPermissions(readme);
      for (const permission of requested(manifest)) {
        assert.ok((reasons.get(permission) ?? '').length >= 10, `README.md says why the extension needs ${permission}`);
      }
      // The dev builds' loopback hosts are described below the table, not in it.
      const stale = [...reasons.keys()].filter((name) => !requested(manifest).includes(name));
      assert.deepEqual(stale, [], 'rows for permissions the manifest no longer asks for');
    });

    test('has a CSP for its pages that allows only its own scripts, never eval', () => {
      const csp = manifest.content_security_policy;
      assert.ok(typeof csp === 'object' && typeof csp.extension_pages === 'string', 'an MV3 content_security_policy.extension_pages');
      const directives = new Map(
        csp.extension_pages.split(';').map((directive) => {
          const [name = '', ...values] = directive.trim().split(/\s+/);
          return [name, values] as const;
        }),
      );
      assert.deepEqual(directives.get('script-src'), ["'self'"]);
      assert.deepEqual(directives.get('object-src'), ["'none'"]);
      for (const policy of [csp.extension_pages, csp.sandbox ?? '']) {
        assert.doesNotMatch(policy, /unsafe-eval|wasm-unsafe-eval|unsafe-inline|https?:|\*/);
      }
    });

    test('lets no web page or other extension in: no externally_connectable, web_accessible_resources or content scripts', () => {
      assert.equal(manifest.externally_connectable, undefined);
      // Should one ever be needed, it goes in the README's table first, with its reason.
      if (manifest.web_accessible_resources !== undefined) assert.ok(justifiedPermissions(readme).has('web_accessible_resources'));
      // A page is read only when a person right-clicks one of its images (activeTab + scripting).
      assert.equal(manifest.content_scripts, undefined);
    });

    test(`its dev build (dist/${build}-dev) differs only by loopback hosts`, () => {
      const dev = manifestOf(`${build}-dev`);
      const added = (dev.host_permissions ?? []).filter((host) => !(manifest.host_permissions ?? []).includes(host));
      assert.deepEqual(added, DEV_HOSTS);
      for (const host of added) assert.match(host, /^http:\/\/(?:127\.0\.0\.1|localhost)\/\*$/);
      assert.deepEqual({ ...dev, host_permissions: manifest.host_permissions }, manifest);
    });
  });
}
