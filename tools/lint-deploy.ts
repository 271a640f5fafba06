/**
 * `npm run lint:deploy`: the deploy files, checked offline by real validators (README "Deploy files"):
 *
 * - `Dockerfile`: dockerfile-utils, the validator of the Docker language server (VS Code's Docker
 *   extension) — instruction syntax, arguments, flags, stage names; warnings fail too;
 * - `docker-compose.yml`: `docker-compose config --quiet` (Debian's Compose 1.29, the oldest this file
 *   promises to work with) — the Compose schema, anchors and merges, interpolation;
 * - `deploy/`: `kubectl kustomize` of every overlay under `deploy/overlays/`, then every rendered object
 *   validated against the JSON schema of its apiVersion and kind from the Kubernetes OpenAPI
 *   (kubernetes-models); an object of a kind without a schema fails; plus the checks the schemas cannot
 *   make: probes on /healthz and /readyz, resources, the HPA at 70 % CPU, a PodDisruptionBudget, the
 *   secret reference, and the migrations as an init container;
 * - `deploy/prometheus/*.rules.yml`: `promtool check rules` (Debian's `prometheus` package);
 * - `deploy/grafana/*.json`: dashboards that parse, have a title and uid, and whose every query is
 *   valid PromQL (checked by promtool as recording rules of a temporary file).
 *
 * A validator that is not installed fails the check with the command that installs it: a deploy
 * file that was not validated is never reported as valid. Prints every problem and exits 1 if any.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validate as validateDockerfile } from 'dockerfile-utils';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { parseAllDocuments, stringify } from 'yaml';

const problems: string[] = [];
const passed: string[] = [];

const INSTALL: Record<string, string> = {
  'docker-compose': 'apt-get install docker-compose',
  kubectl: 'https://kubernetes.io/docs/tasks/tools/ (kubectl ≥ 1.21 has kustomize built in)',
  promtool: 'apt-get install prometheus',
};

/** Runs a validator; its absence or failure is a problem, never a pass. */
const run = (command: string, args: string[], what: string): string | null => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
    if (e.code === 'ENOENT') problems.push(`${what}: ${command} is not installed (${INSTALL[command]})`);
    else
      problems.push(
        `${what}: ${command} ${args.join(' ')} failed:\n${(e.stderr || e.stdout || e.message).trim()}`,
      );
    return null;
  }
};

// 1. Dockerfile ---------------------------------------------------------------------------------
{
  const text = readFileSync('Dockerfile', 'utf8');
  const diagnostics = validateDockerfile(text);
  for (const d of diagnostics) {
    // LSP severities: 1 error, 2 warning
    const level = d.severity === 1 ? 'error' : 'warning';
    problems.push(`Dockerfile:${d.range.start.line + 1}: ${level}: ${d.message}`);
  }
  for (const required of [
    /^USER\s+(?!root\b)\S+/m,
    /^HEALTHCHECK\s/m,
    /^FROM\s.*\sAS\s+runtime$/im,
    /^ENTRYPOINT\s+\["\/usr\/bin\/tini"/m,
  ]) {
    if (!required.test(text)) problems.push(`Dockerfile: no line matches ${required}`);
  }
  if (diagnostics.length === 0) passed.push('Dockerfile (dockerfile-utils)');
}

// 2. docker-compose.yml -------------------------------------------------------------------------
if (
  run('docker-compose', ['--file', 'docker-compose.yml', 'config', '--quiet'], 'docker-compose.yml') !== null
) {
  passed.push('docker-compose.yml (docker-compose config)');
}

// 3. Kubernetes: every overlay rendered and validated ---------------------------------------------
type K8sObject = { apiVersion?: string; kind?: string; metadata?: { name?: string }; spec?: unknown };

/** kubernetes-models: one module per apiVersion, one class per kind, whose validate() throws. */
const validateObject = async (o: K8sObject): Promise<string | null> => {
  if (!o.apiVersion || !o.kind) return 'no apiVersion or kind';
  const module = `kubernetes-models/${o.apiVersion}`;
  let Model: (new (data: unknown) => { validate(): void }) | undefined;
  try {
    Model = (await import(module))[o.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) return `no schema for ${o.apiVersion} ${o.kind}`;
  try {
    new Model(o).validate();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
};

const findByKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

/** What a region needs that a schema cannot say (issue "Production readiness", deliverable 1). */
const checkRegion = (overlay: string, objects: K8sObject[]): void => {
  const at = `deploy/overlays/${overlay}`;
  // the schemas passed above: the objects have the shapes of their kinds
  const [deployment] = findByKind(objects, 'Deployment') as IDeployment[];
  const pod = deployment?.spec?.template.spec;
  const container = pod?.containers[0];
  if (!deployment || !pod || !container) {
    problems.push(`${at}: no Deployment with a container`);
    return;
  }
  if (container.livenessProbe?.httpGet?.path !== '/healthz')
    problems.push(`${at}: liveness probe is not GET /healthz`);
  if (container.readinessProbe?.httpGet?.path !== '/readyz')
    problems.push(`${at}: readiness probe is not GET /readyz`);
  for (const r of ['requests', 'limits'] as const)
    if (!container.resources?.[r]?.cpu || !container.resources?.[r]?.memory)
      problems.push(`${at}: container resources.${r} lack cpu or memory`);
  const refs = container.envFrom ?? [];
  if (!refs.some((r) => r.secretRef?.name)) problems.push(`${at}: the container takes no Secret (secretRef)`);
  const configMaps = new Set(findByKind(objects, 'ConfigMap').map((c) => c.metadata?.name));
  for (const r of refs)
    if (r.configMapRef?.name && !configMaps.has(r.configMapRef.name))
      problems.push(`${at}: configMapRef ${r.configMapRef.name} names no rendered ConfigMap`);
  const [hpa] = findByKind(objects, 'HorizontalPodAutoscaler') as IHorizontalPodAutoscaler[];
  const cpu = hpa?.spec?.metrics?.find((m) => m.resource?.name === 'cpu');
  if (cpu?.resource?.target.averageUtilization !== 70) problems.push(`${at}: no HPA on 70 % CPU`);
  if (hpa?.spec?.scaleTargetRef.name !== deployment.metadata?.name)
    problems.push(`${at}: the HPA does not scale the Deployment`);
  if (findByKind(objects, 'PodDisruptionBudget').length !== 1) problems.push(`${at}: no PodDisruptionBudget`);
  if (!(pod.initContainers ?? []).some((c) => c.command?.includes('dist/src/migrate.cli.js')))
    problems.push(`${at}: no init container runs the migrations (dist/src/migrate.cli.js)`);
};

const overlays = readdirSync('deploy/overlays').filter((d) =>
  existsSync(join('deploy/overlays', d, 'kustomization.yaml')),
);
if (overlays.length === 0) problems.push('deploy/overlays: no overlay');
for (const overlay of overlays) {
  const rendered = run(
    'kubectl',
    ['kustomize', join('deploy/overlays', overlay)],
    `deploy/overlays/${overlay}`,
  );
  if (rendered === null) continue;
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(rendered)) {
    if (doc.errors.length > 0) problems.push(`deploy/overlays/${overlay}: ${doc.errors[0]?.message}`);
    else if (doc.contents) objects.push(doc.toJS() as K8sObject);
  }
  const before = problems.length;
  for (const o of objects) {
    const problem = await validateObject(o);
    if (problem)
      problems.push(`deploy/overlays/${overlay}: ${o.kind} ${o.metadata?.name ?? '?'}: ${problem}`);
  }
  checkRegion(overlay, objects);
  if (problems.length === before)
    passed.push(
      `deploy/overlays/${overlay} (${objects.length} objects, kubectl kustomize + Kubernetes schemas)`,
    );
}

// 4. Prometheus rules -----------------------------------------------------------------------------
const rulesDir = 'deploy/prometheus';
const rules = existsSync(rulesDir) ? readdirSync(rulesDir).filter((f) => f.endsWith('.rules.yml')) : [];
for (const file of rules) {
  const path = join(rulesDir, file);
  if (run('promtool', ['check', 'rules', path], path) !== null) passed.push(`${path} (promtool check rules)`);
}

// 5. Grafana dashboards: importable JSON, and every query valid PromQL ---------------------------------
// promtool has no "check expression": each query becomes a recording rule of a temporary rules file,
// with Grafana's variables replaced by values Prometheus accepts.
const grafanaDir = 'deploy/grafana';
const dashboards = existsSync(grafanaDir) ? readdirSync(grafanaDir).filter((f) => f.endsWith('.json')) : [];
for (const file of dashboards) {
  const path = join(grafanaDir, file);
  let dashboard: {
    title?: string;
    uid?: string;
    panels?: { title?: string; targets?: { expr?: string }[] }[];
  };
  try {
    dashboard = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`${path}: not JSON: ${(err as Error).message}`);
    continue;
  }
  const before = problems.length;
  if (!dashboard.title || !dashboard.uid) problems.push(`${path}: a dashboard needs a title and a uid`);
  const rules: { record: string; expr: string }[] = [];
  for (const [i, panel] of (dashboard.panels ?? []).entries()) {
    if (!panel.targets?.length) problems.push(`${path}: panel "${panel.title ?? i}" has no query`);
    for (const [j, t] of (panel.targets ?? []).entries()) {
      if (!t.expr) problems.push(`${path}: panel "${panel.title ?? i}" has a query without expr`);
      else
        rules.push({
          record: `dashboard:panel_${i}_${j}`,
          expr: t.expr.replaceAll('$__rate_interval', '5m').replaceAll('$namespace', '.*'),
        });
    }
  }
  if (rules.length === 0) problems.push(`${path}: no panel with a query`);
  const dir = mkdtempSync(join(tmpdir(), 'shopcore-dashboard-'));
  try {
    const rulesFile = join(dir, 'dashboard.rules.yml');
    writeFileSync(rulesFile, stringify({ groups: [{ name: 'dashboard', rules }] }));
    run('promtool', ['check', 'rules', rulesFile], `${path} (its queries)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (problems.length === before) passed.push(`${path} (${rules.length} queries, promtool)`);
}

for (const p of passed) console.log(`ok   ${p}`);
for (const p of problems) console.error(`FAIL ${p}`);
if (problems.length > 0) process.exit(1);
