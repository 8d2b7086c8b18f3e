/** Rolling line charts of link statistics (Chart.js, loaded as a classic script from the WebJar). */
import { zoneName } from './ui.js';

const MAX_POINTS = 600;

/** A line chart on the canvas with this id; push(label, value) appends and drops the oldest beyond 600 points. */
export function lineChart(canvasId, label, color) {
  const canvas = document.getElementById(canvasId);
  const chart = new window.Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: [{ label, data: [], borderColor: color, backgroundColor: color + '33', fill: true, pointRadius: 0, borderWidth: 2, tension: 0.2 }] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { display: false } },
      scales: {
        x: { ticks: { maxTicksLimit: 6, maxRotation: 0 }, title: { display: true, text: `Time (${zoneName()})` } },
        y: { beginAtZero: true },
      },
    },
  });
  const update = () => {
    canvas.dataset.points = String(chart.data.labels.length);
    chart.update('none');
  };
  return {
    push(time, value, redraw = true) {
      chart.data.labels.push(time);
      chart.data.datasets[0].data.push(value);
      if (chart.data.labels.length > MAX_POINTS) {
        chart.data.labels.shift();
        chart.data.datasets[0].data.shift();
      }
      if (redraw) {
        update();
      }
    },
    redraw: update,
  };
}
