import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);

/** Why the validators cannot run here (printed), or null. */
const validatorsMissing = (): string | null => {
  const missing = ['kubectl', 'docker-compose', 'promtool'].filter((c) => {
    try {
      execFileSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return null;
  const reason = `not installed: ${missing.join(', ')} (README "Deploy files")`;
  console.warn(`[skipped] lint:deploy checks: ${reason}`);
  return reason;
};

/** `npm run lint:deploy` in a copy of the deploy files, so that the test can break them. */
const lintDeploy = async (cwd: string) => {
  try {
    const { stdout } = await exec(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'tools/lint-deploy.ts')],
      {
        cwd,
      },
    );
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
};

describe.skipIf(validatorsMissing())(
  'npm run lint:deploy (tools/lint-deploy.ts) fails on broken deploy files',
  () => {
    let dir: string;
    const edit = (file: string, from: string | RegExp, to: string) => {
      const p = path.join(dir, file);
      const text = readFileSync(p, 'utf8');
      const changed = text.replace(from, to);
      expect(changed, `${file}: ${from} not found`).not.toBe(text);
      writeFileSync(p, changed);
    };
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'shopcore-lint-deploy-'));
      for (const f of ['Dockerfile', 'docker-compose.yml', 'deploy'])
        cpSync(path.join(root, f), path.join(dir, f), { recursive: true });
      // the tool imports its validators from the repository's node_modules
      cpSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
      execFileSync('ln', ['-s', path.join(root, 'node_modules'), path.join(dir, 'node_modules')]);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('passes the files as committed, then names every fault put into them', async () => {
      const clean = await lintDeploy(dir);
      expect(clean.code, clean.out).toBe(0);
      expect(clean.out).toContain('ok   docker-compose.yml');
      expect(clean.out).toMatch(/ok {3}deploy\/overlays\/eu \(\d+ objects/);

      edit('Dockerfile', /^EXPOSE 3000$/m, 'EXPOSE http');
      edit('docker-compose.yml', /^services:$/m, 'name: shopcore\nservices:');
      edit('deploy/base/deployment.yaml', 'containerPort: 3000', 'containerPort: "3000"');
      edit('deploy/base/hpa.yaml', 'averageUtilization: 70', 'averageUtilization: 90');
      edit('deploy/base/deployment.yaml', 'path: /readyz', 'path: /healthz');
      edit(
        'deploy/prometheus/shopcore.rules.yml',
        'outbox_oldest_unpublished_age_seconds) > 60',
        'outbox_oldest_unpublished_age_seconds) >> 60',
      );
      edit(
        'deploy/grafana/shopcore-dashboard.json',
        '"sum(outbox_backlog_events{',
        '"sum(outbox_backlog_events{{',
      );
      const broken = await lintDeploy(dir);
      expect(broken.code).toBe(1);
      expect(broken.out).toMatch(/FAIL Dockerfile:\d+: error: .*EXPOSE|FAIL Dockerfile:\d+: error: Invalid/);
      expect(broken.out).toContain(
        'FAIL docker-compose.yml: docker-compose --file docker-compose.yml config --quiet failed',
      );
      expect(broken.out).toContain('containerPort must be integer');
      expect(broken.out).toContain('FAIL deploy/overlays/eu: no HPA on 70 % CPU');
      expect(broken.out).toContain('FAIL deploy/overlays/us: readiness probe is not GET /readyz');
      expect(broken.out).toContain('FAIL deploy/prometheus/shopcore.rules.yml: promtool check rules');
      expect(broken.out).toContain(
        'FAIL deploy/grafana/shopcore-dashboard.json (its queries): promtool check rules',
      );
      expect(broken.out).not.toContain('ok   ');
    });
  },
);
