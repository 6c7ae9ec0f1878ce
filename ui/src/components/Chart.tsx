// A line chart (uPlot) with a title, a legend naming each series and a dash pattern per series, so
// colour is never the only way to tell the lines apart; the numbers are also in a table for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: (number | null)[];
}

const palette = ['#1f5fbf', '#c2410c', '#15803d', '#7e22ce', '#a16207', '#0e7490', '#be123c', '#4d7c0f'];
const dashes = [[], [6, 4], [2, 3], [10, 3, 2, 3], [1, 5], [8, 8]];

export function Chart(props: {
  title: string;
  /** x values: epochs, versions, or seconds since the epoch when `time` is set. */
  x: number[];
  xLabel: string;
  series: Series[];
  time?: boolean;
  height?: number;
  /** A fixed y range (e.g. [0, 1] for a score), instead of uPlot's padding around the data. */
  yRange?: [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);
  const { title, xLabel, series, time = false, height = 220, yRange } = props;
  // A chart of nothing but gaps (no labels yet, say) says so instead of drawing empty axes.
  const x = series.some((s) => s.values.some((v) => v !== null)) ? props.x : [];
  useEffect(() => {
    const el = box.current;
    if (!el || x.length === 0) return;
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height,
        scales: { x: { time }, ...(yRange ? { y: { range: yRange } } : {}) },
        // Epochs and versions are whole numbers: no 1.5th epoch on the axis.
        axes: [
          time ? { label: xLabel } : { label: xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
          {},
        ],
        series: [
          { label: xLabel },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: palette[i % palette.length],
            dash: dashes[i % dashes.length],
            width: 2,
            points: { show: x.length < 40 },
            spanGaps: true,
          })),
        ],
      },
      [x, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, time, height, xLabel, yRange]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {x.length === 0 ? <p class="muted">No data yet.</p> : <div ref={box} role="img" aria-label={title} />}
      {x.length > 0 && (
        <details>
          <summary>{title}: the numbers</summary>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{xLabel}</th>
                  {series.map((s) => (
                    <th scope="col">{s.label}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {x.map((xv, i) => (
                  <tr>
                    <td>{time ? new Date(xv * 1000).toISOString().slice(0, 19) : xv}</td>
                    {series.map((s) => (
                      <td>{s.values[i] ?? '—'}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}

/** Horizontal bars with their value written out (comparisons: candidate, champion, threshold). */
export function Bars(props: {
  title: string;
  rows: { label: string; value: number | null; note?: string }[];
}) {
  const max = Math.max(1e-9, ...props.rows.map((r) => Math.abs(r.value ?? 0)));
  return (
    <figure class="bars">
      <figcaption>{props.title}</figcaption>
      <ul>
        {props.rows.map((r) => (
          <li>
            <span class="bar-label">{r.label}</span>
            <span class="bar-track" aria-hidden="true">
              <span class="bar-fill" style={{ width: `${(Math.abs(r.value ?? 0) / max) * 100}%` }} />
            </span>
            <span class="bar-value">
              {r.value === null ? '—' : r.value.toFixed(4)}
              {r.note ? ` ${r.note}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
