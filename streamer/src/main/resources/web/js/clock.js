/** The pages' clock for durations and arrivals, one for all of a page's modules. */

/** More than this of the computer's clock beyond performance.now() between two readings is a sleep. */
const SLEEP_MS = 3500;

let lastMonotonic = performance.now();
let lastWall = Date.now();
let slept = 0;

/**
 * Milliseconds on a clock that a setting of the computer's clock does not move but a sleep of the computer does:
 * performance.now() and the time the computer slept. performance.now() is monotonic, but it stands still while the
 * computer sleeps (Chromium on Linux and macOS): a silence, or the time between two samples, measured by it alone
 * leaves the sleep out. Where the computer's clock went on by more than 3.5 s beyond performance.now() between two
 * readings, the computer slept (or its clock was set forward) that long.
 */
export function steadyNow() {
  const monotonic = performance.now();
  const wall = Date.now();
  const beyond = (wall - lastWall) - (monotonic - lastMonotonic);
  if (beyond > SLEEP_MS) {
    slept += beyond;
  }
  lastMonotonic = monotonic;
  lastWall = wall;
  return monotonic + slept;
}
