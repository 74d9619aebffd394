/**
 * Overrides per ISO week, by alert type, as plain inline SVG (no chart library, nothing remote). It is an image
 * to assistive technology (role="img" with a title and description); the table after it gives the same counts
 * as text. Counts are the shown ones: a suppressed count ("*", 1 to 7) is drawn as a short hatched, outlined bar
 * labelled "*", never as a number.
 */
import { useId } from 'react';
import type { AlertType, ReportView } from '../../../src-shared/ipc/channels/review';
import { ALERT_TYPES, ALERT_TYPE_LABEL, shownNumber } from '../view/review';

type Weekly = ReportView['weekly'];

const BAR = 18;
const GROUP_GAP = 16;
const LEFT = 44;
const TOP = 20;
const PLOT_HEIGHT = 180;
const BOTTOM = 40;
/** A suppressed count is drawn as a short bar of this many pixels whatever the scale: present, not measured. */
const SUPPRESSED_PX = 14;

/** A round upper bound for the scale (at least 10) and its ticks. */
function scale(max: number): { top: number; ticks: number[] } {
  const steps = [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000];
  const top = steps.find((s) => s >= max) ?? Math.ceil(max / 10000) * 10000;
  return { top, ticks: [0, top / 4, top / 2, (3 * top) / 4, top] };
}

export function WeeklyChart({ weekly }: { weekly: Weekly }) {
  const uid = useId().replace(/[^A-Za-z0-9_-]/g, '');
  const titleId = `${uid}-title`;
  const descId = `${uid}-desc`;
  const hatch = (t: AlertType) => `${uid}-hatch-${t}`;
  const numbers = weekly.flatMap((w) => ALERT_TYPES.map((t) => shownNumber(w.counts[t]) ?? 0));
  const { top, ticks } = scale(Math.max(0, ...numbers));
  const groupWidth = ALERT_TYPES.length * BAR + GROUP_GAP;
  const width = Math.max(480, LEFT + weekly.length * groupWidth + 8);
  const height = TOP + PLOT_HEIGHT + BOTTOM;
  const y = (n: number) => TOP + PLOT_HEIGHT - (n / top) * PLOT_HEIGHT;

  return (
    <figure className="app-chart" data-testid="weekly-chart">
      <div className="app-chart__scroll">
        <svg
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
          className="app-chart__svg"
        >
          <title id={titleId}>Overrides per week, by type</title>
          <desc id={descId}>
            {`Bars for ${weekly.length} ${weekly.length === 1 ? 'week' : 'weeks'}, one for each alert type. ` +
              'Counts from 1 to 7 are shown as a star. The table after the chart gives the same counts.'}
          </desc>
          <defs>
            {ALERT_TYPES.map((t) => (
              <pattern
                key={t}
                id={hatch(t)}
                patternUnits="userSpaceOnUse"
                width="6"
                height="6"
                patternTransform="rotate(45)"
              >
                <line x1="0" y1="0" x2="0" y2="6" className={`app-chart__hatch app-chart__hatch--${t}`} />
              </pattern>
            ))}
          </defs>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={LEFT} x2={width - 4} y1={y(t)} y2={y(t)} className="app-chart__grid" />
              <text x={LEFT - 6} y={y(t) + 4} textAnchor="end" className="app-chart__text">
                {t}
              </text>
            </g>
          ))}
          {weekly.map((w, i) => {
            const x0 = LEFT + i * groupWidth + GROUP_GAP / 2;
            return (
              <g key={w.week} data-week={w.week}>
                {ALERT_TYPES.map((t, j) => {
                  const shown = w.counts[t];
                  const n = shownNumber(shown);
                  const x = x0 + j * BAR;
                  if (n === null) {
                    const barTop = TOP + PLOT_HEIGHT - SUPPRESSED_PX;
                    return (
                      <g key={t} data-type={t} data-count="*">
                        <rect
                          x={x + 1}
                          y={barTop}
                          width={BAR - 2}
                          height={TOP + PLOT_HEIGHT - barTop}
                          fill={`url(#${hatch(t)})`}
                          className={`app-chart__bar--suppressed app-chart__outline--${t}`}
                        />
                        <text x={x + BAR / 2} y={barTop - 4} textAnchor="middle" className="app-chart__text">
                          *
                        </text>
                      </g>
                    );
                  }
                  const barTop = y(n);
                  return (
                    <g key={t} data-type={t} data-count={shown}>
                      {n > 0 ? (
                        <rect
                          x={x + 1}
                          y={barTop}
                          width={BAR - 2}
                          height={TOP + PLOT_HEIGHT - barTop}
                          className={`app-chart__bar app-chart__bar--${t}`}
                        />
                      ) : null}
                      <text
                        x={x + BAR / 2}
                        y={barTop - 4}
                        textAnchor="middle"
                        className="app-chart__text app-chart__value"
                      >
                        {shown}
                      </text>
                    </g>
                  );
                })}
                <text
                  x={x0 + (ALERT_TYPES.length * BAR) / 2}
                  y={TOP + PLOT_HEIGHT + 18}
                  textAnchor="middle"
                  className="app-chart__text"
                >
                  {w.week}
                </text>
              </g>
            );
          })}
          <line x1={LEFT} x2={width - 4} y1={y(0)} y2={y(0)} className="app-chart__axis" />
        </svg>
      </div>
      <figcaption>
        <ul className="app-chart__legend" aria-label="Key">
          {ALERT_TYPES.map((t) => (
            <li key={t}>
              <span className={`app-chart__swatch app-chart__swatch--${t}`} aria-hidden="true" />
              {ALERT_TYPE_LABEL[t]}
            </li>
          ))}
          <li>
            <span className="app-chart__swatch app-chart__swatch--suppressed" aria-hidden="true" />* a count
            from 1 to 7 (not shown)
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
