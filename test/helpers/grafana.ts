// Reads the Grafana dashboard (deploy/grafana/ferry-dashboard.json) and the metric names its PromQL uses.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../../infra/local/stack.js';

export const dashboardPath = join(repoRoot, 'deploy', 'grafana', 'ferry-dashboard.json');

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { type: string; uid: string } }[];
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: DashboardPanel[];
  templating: { list: { name: string; type: string; query?: string }[] };
}

export async function readDashboard(): Promise<Dashboard> {
  return JSON.parse(await readFile(dashboardPath, 'utf8')) as Dashboard;
}

const notMetrics = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
]);
const grouping = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;

/** The metric names a PromQL expression selects: identifiers that are not functions, keywords or labels. */
export function promqlMetricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(grouping, ' ');
  const names: string[] = [];
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = bare.slice(m.index + m[0].length).trimStart();
    const before = bare[m.index - 1];
    if (after.startsWith('(') || notMetrics.has(m[0]) || before === '$' || /[0-9.]/.test(before ?? ''))
      continue;
    names.push(m[0]);
  }
  return names;
}

/** Every metric name the dashboard's queries use, sorted. */
export function dashboardMetricNames(d: Dashboard): string[] {
  const exprs = d.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
  return [...new Set(exprs.flatMap(promqlMetricNames))].sort();
}
