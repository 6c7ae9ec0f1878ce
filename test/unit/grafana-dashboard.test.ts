// The Grafana dashboard is a valid dashboard model whose queries use only metrics Ferry exposes: the
// worker's and the API's from their registry code here; the Temporal SDK's from a real scrape in
// test/integration/worker-pools.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { prometheusPlugin } from '../../api/plugins/prometheus.js';
import { createWorkerMetrics } from '../../worker/metrics.js';
import { dashboardMetricNames, promqlMetricNames, readDashboard } from '../helpers/grafana.js';
import { exposedNames } from '../helpers/prometheus.js';

test('PromQL metric names are read past functions, label matchers, ranges and grouping', () => {
  assert.deepEqual(
    promqlMetricNames(
      'histogram_quantile(0.95, sum by (le, activity) (rate(ferry_activity_duration_seconds_bucket{outcome="completed", x=~"a|b"}[$__rate_interval])))',
    ),
    ['ferry_activity_duration_seconds_bucket'],
  );
  assert.deepEqual(
    promqlMetricNames('sum(rate(a_total[5m])) / sum without (instance) (rate(b_seconds_total[1h])) > 0.5'),
    ['a_total', 'b_seconds_total'],
  );
});

test('the dashboard is a Grafana model: unique panel ids, a Prometheus datasource variable, every panel on the 24-column grid without overlaps, every query on that datasource', async () => {
  const d = await readDashboard();
  assert.equal(d.uid, 'ferry-overview');
  assert.ok(d.schemaVersion >= 36, `schemaVersion ${d.schemaVersion}`);
  assert.deepEqual(
    d.templating.list.map((v) => [v.name, v.type, v.query]),
    [['datasource', 'datasource', 'prometheus']],
  );
  const ids = d.panels.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, 'panel ids repeat');
  const cells = new Map<string, string>();
  for (const p of d.panels) {
    const { x, y, w, h } = p.gridPos;
    assert.ok(x >= 0 && w > 0 && x + w <= 24 && h > 0, `${p.title}: gridPos ${JSON.stringify(p.gridPos)}`);
    for (let i = x; i < x + w; i++)
      for (let j = y; j < y + h; j++) {
        const other = cells.get(`${i},${j}`);
        assert.equal(other, undefined, `${p.title} overlaps ${other}`);
        cells.set(`${i},${j}`, p.title);
      }
    if (p.type === 'row') continue;
    assert.ok(['timeseries', 'stat'].includes(p.type), `${p.title}: type ${p.type}`);
    assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, p.title);
    assert.ok(p.targets && p.targets.length > 0, `${p.title} has no query`);
    for (const t of p.targets) {
      assert.deepEqual(t.datasource, p.datasource, `${p.title} ${t.refId}`);
      assert.ok(promqlMetricNames(t.expr).length > 0, `${p.title} ${t.refId} selects no metric: ${t.expr}`);
    }
  }
});

test("every ferry_*, process_* and nodejs_* metric the dashboard queries is registered by the worker's or the API's metrics code", async () => {
  const worker = exposedNames(await createWorkerMetrics().registry.metrics());
  const app = Fastify();
  await app.register(prometheusPlugin, { requireToken: false });
  const api = exposedNames((await app.inject({ url: '/metrics' })).body);
  await app.close();
  const used = dashboardMetricNames(await readDashboard());
  const own = used.filter((n) => !n.startsWith('temporal_'));
  assert.ok(own.length >= 10 && used.length > own.length, `own ${own.length}, all ${used.length}`);
  const missing = own.filter((n) => !worker.has(n) && !api.has(n));
  assert.deepEqual(missing, []);
});
