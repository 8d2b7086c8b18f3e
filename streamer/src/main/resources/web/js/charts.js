/**
 * Rolling line charts of link statistics (Chart.js, loaded as a classic script from the WebJar). The x axis is time:
 * each point sits at its sample's own timestamp, a sample already plotted (the same second from the history and
 * from the live events, or sent twice) is plotted once, and where samples stop for a while (the service or the
 * link to it was down) the line breaks instead of joining across the gap. Where the service's clock was stepped (NTP
 * setting right the clock of a box that booted with a wrong one), the points already plotted move with it (see
 * clockStep).
 */
import { steadyNow } from './clock.js';
import { formatClock, formatNumber, formatTime, zoneName } from './ui.js';

const MAX_POINTS = 600;
/**
 * The time shown: the service's history is as long. After hours without samples (the network down, the computer
 * asleep) the points from before would otherwise stretch the axis over those hours, the new ones a sliver at its edge.
 */
const WINDOW_MS = 600_000;
/** Samples come once a second: more than this between two is a gap, drawn as a break in the line. */
const GAP_MS = 3500;
/** The time between two samples. */
const SAMPLE_MS = 1000;

/** Tick spacings in seconds: round steps of the clock, at most six ticks on the axis. */
const STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** Puts the time axis's ticks on round seconds of the clock (21:54:00, 21:54:10, ...), whatever its span. */
function secondTicks(axis) {
  const span = axis.max - axis.min;
  const step = (STEPS_S.find((s) => span / (s * 1000) <= 5) ?? STEPS_S[STEPS_S.length - 1]) * 1000;
  const ticks = [];
  for (let v = Math.ceil(axis.min / step) * step; v <= axis.max; v += step) {
    ticks.push({ value: v });
  }
  axis.ticks = ticks;
}

/** The fewest decimals that write this value exactly (0.05: 2, 2.5: 1, 10: 0), up to 6. */
function decimalsOf(value) {
  let d = 0;
  while (d < 6 && Math.abs(value * 10 ** d - Math.round(value * 10 ** d)) > 1e-6 * 10 ** d) {
    d += 1;
  }
  return d;
}

/**
 * A value axis's tick label: every tick of the axis with the one number of decimals its ticks need (0.00, 0.05, ...,
 * 0.50; 0, 1, 2), where Chart.js wrote 0 as "0" beside "0.50" and integers as "1.0" beside "0".
 */
function valueTick(value, index, ticks) {
  const decimals = Math.max(0, ...ticks.map((t) => decimalsOf(t.value)));
  return Number(value).toFixed(decimals);
}

/**
 * When a live sample comes, on the clock the charts compare arrivals by (see steadyNow): by performance.now() alone,
 * the first sample after a sleep of hours, its time hours after the last before it, seemed to have come a second after
 * it, a step of the service's clock (see clockStep), and what was plotted before the sleep was moved hours forward.
 */
export function arrivalNow() {
  return steadyNow();
}

/**
 * How far to move what is plotted up to a sample at `last` for the next at `at`, when the clock that stamps them was
 * stepped between the two (NTP setting right the clock of a box that booted with a wrong one, or an operator): the
 * shift that puts `last` a sample before `at`, so that the chart goes on; else 0.
 * - `at` more than a sample older than `last`: only a clock set back makes that. Without the shift the chart left out
 *   every sample until the clock was back at `last` (an hour, for a clock set back an hour).
 * - `at` more than a gap later, though it came `sinceLastMs` after the last, less than a gap (a live sample by when it
 *   came, see arrivalNow; a history's sample by the service's monotonic clock, see historyArrival;
 *   null when that is not known): a clock set forward. Without the shift it was drawn as a gap as long as the step,
 *   with the samples before squeezed to the axis's edge.
 */
export function clockStep(last, at, sinceLastMs = null) {
  if (!(last > 0 && at > 0)) {
    return 0;
  }
  const setBack = at < last - SAMPLE_MS;
  const setForward = at - last > GAP_MS && sinceLastMs !== null && sinceLastMs < GAP_MS;
  return setBack || setForward ? at - SAMPLE_MS - last : 0;
}

/**
 * The chart's text alternative: what it shows (the canvas's own aria-label) and the figures a sighted operator reads
 * off it, the latest with its time and the lowest and highest shown, e.g. "Bitrate (Mbit/s) over time: latest 4.80
 * at 21:54:04 CET; lowest 4.51, highest 4.83 over the 10 min shown".
 */
function describe(what, points) {
  const values = points.filter((p) => p.y !== null);
  if (!values.length) {
    return `${what}: no samples yet`;
  }
  const latest = values[values.length - 1];
  const ys = values.map((p) => p.y);
  const seconds = Math.round((latest.x - values[0].x) / 1000);
  const span = seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
  return `${what}: latest ${formatNumber(latest.y)} at ${formatTime(latest.x)}; lowest ${formatNumber(Math.min(...ys))}`
    + `, highest ${formatNumber(Math.max(...ys))} over the ${span} shown`;
}

/**
 * A line chart on the canvas with this id. push(millis, value) adds a sample (epoch milliseconds) and drops those more
 * than ten minutes older and the oldest beyond 600 points; the canvas's data-points attribute counts the samples shown,
 * and its aria-label says the latest figures (a canvas is a picture: a screen reader reads only that).
 */
export function lineChart(canvasId, label, color) {
  const canvas = document.getElementById(canvasId);
  const what = canvas.getAttribute('aria-label') || label;
  const points = [];
  const chart = new window.Chart(canvas, {
    type: 'line',
    data: {
      datasets: [{
        label, data: points, borderColor: color, backgroundColor: color + '33', fill: true, pointRadius: 0,
        borderWidth: 2, tension: 0.2, spanGaps: false,
      }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: (items) => (items.length ? formatTime(items[0].parsed.x) : '') } },
      },
      scales: {
        x: {
          type: 'linear',
          ticks: { maxRotation: 0, callback: (value) => formatClock(value) },
          afterBuildTicks: secondTicks,
          title: { display: true, text: `Time (${zoneName()})` },
        },
        y: { beginAtZero: true, ticks: { callback: valueTick } },
      },
    },
  });
  let last = 0;
  /** When the last sample plotted came, by arrivalNow() (see historyArrival); null when not known. */
  let lastArrived = null;
  const update = () => {
    canvas.dataset.points = String(points.filter((p) => p.y !== null).length);
    canvas.setAttribute('aria-label', describe(what, points));
    // The axis spans the samples shown, not a rounder range around them.
    const first = points.length ? points[0].x : undefined;
    chart.options.scales.x.min = first;
    chart.options.scales.x.max = points.length ? Math.max(points[points.length - 1].x, first + 1000) : undefined;
    chart.update('none');
  };
  return {
    /**
     * Adds a sample; one not newer than the last (once moved for a step of the clock, see clockStep) is left out and
     * false returned. arrived: when a live sample came, by arrivalNow(), or a history's sample was kept
     * (historyArrival); null when not known.
     */
    push(millis, value, redraw = true, arrived = redraw ? arrivalNow() : null) {
      const shift = clockStep(last, millis, arrived !== null && lastArrived !== null ? arrived - lastArrived : null);
      if (shift !== 0) {
        points.forEach((p) => { p.x += shift; });
        last += shift;
      }
      if (!(millis > last)) {
        return false;
      }
      lastArrived = arrived;
      if (last > 0 && millis - last > GAP_MS) {
        points.push({ x: (last + millis) / 2, y: null });
      }
      points.push({ x: millis, y: value });
      last = millis;
      while (points.length > MAX_POINTS
          || (points.length > 0 && (points[0].y === null || points[0].x < millis - WINDOW_MS))) {
        points.shift();
      }
      if (redraw) {
        update();
      }
      return true;
    },
    redraw: update,
  };
}

/**
 * When a history's sample was kept, on the clock of the live samples' arrival (arrivalNow()): the time the history was
 * answered less the sample's age_millis, which the service measures by its own monotonic
 * clock. Two samples a second apart by it were a second apart, whatever a step of the service's wall clock did to
 * their timestamp_millis; without it (an older service) null, and a jump in the history's times is drawn as a gap.
 */
export function historyArrival(sample, answeredAt) {
  const age = Number(sample.age_millis);
  return sample.age_millis !== undefined && sample.age_millis !== null && Number.isFinite(age)
    ? answeredAt - age : null;
}

/**
 * When a statistics sample was taken: its own timestamp_millis; before the first connection, when that is 0, the time
 * the service answered (timestamp_api, epoch seconds); failing both, now.
 */
export function sampleTime(sample, answeredAt = sample.timestamp_api) {
  const own = Number(sample.timestamp_millis);
  if (own > 0) {
    return own;
  }
  const api = Number(answeredAt) * 1000;
  return api > 0 ? Math.round(api) : Date.now();
}
