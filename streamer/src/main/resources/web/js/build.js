/**
 * The build of the service that served this page (its <body data-build>) against the build that answers now (the
 * X-MCR-Build header of every answer): after an upgrade a page left open still runs the scripts it loaded with, so it
 * says so under the navigation bar and offers a reload. It never reloads by itself: a form being typed would be lost.
 */

/** The header every answer of the service carries. */
export const BUILD_HEADER = 'X-MCR-Build';

/**
 * Shows the upgrade banner if build (an answer's X-MCR-Build) is not the build this page was loaded with. An answer
 * without the header (a proxy's own error page) says nothing about the build, nor does a page served without one.
 */
export function noticeBuild(build) {
  const loaded = document.body && document.body.dataset.build;
  if (!build || !loaded || build === loaded || document.getElementById('upgrade-banner')) {
    return;
  }
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.className = 'btn btn-primary btn-sm ms-2';
  reload.id = 'upgrade-reload';
  reload.textContent = 'Reload';
  reload.addEventListener('click', () => location.reload());
  const banner = document.createElement('div');
  banner.id = 'upgrade-banner';
  banner.className = 'upgrade-banner alert alert-info d-flex flex-wrap align-items-center';
  banner.setAttribute('role', 'status');
  banner.append(document.createTextNode('The service was upgraded since this page was loaded. Reload to use the new '
    + 'version.'), reload);
  const after = document.getElementById('contact-banner') || document.getElementById('nav');
  if (after) {
    after.after(banner);
  } else {
    document.body.prepend(banner);
  }
}

/** Asks the service which build answers now (GET /health, the smallest answer), for a page that only listens. */
export async function checkBuild() {
  try {
    const response = await fetch('/health', { credentials: 'same-origin', cache: 'no-store' });
    noticeBuild(response.headers.get(BUILD_HEADER));
  } catch {
    // no answer: the page's live state already says so
  }
}
