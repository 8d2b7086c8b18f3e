/**
 * The one way pages talk to the service: JSON over fetch, with the session cookie and, on state changes, the
 * X-CSRF-Token header copied from the mcr_csrf cookie (double-submit).
 */

import { BUILD_HEADER, noticeBuild } from './build.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A non-2xx answer from the API: status, the API's error text and, for validation failures, per-field messages. */
export class ApiError extends Error {
  constructor(status, message, details, body) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.details = details || {};
    this.body = body;
  }
}

/** The value of a cookie readable by scripts, or an empty string. */
export function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      return decodeURIComponent(v.join('='));
    }
  }
  return '';
}

/**
 * Sends a request and returns the parsed JSON body (or text for non-JSON answers).
 * Throws ApiError for any status outside 2xx, with the API's {"error", "details"} when present.
 */
export async function request(method, url, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (STATE_CHANGING.has(method)) {
    const token = cookie('mcr_csrf');
    if (token) {
      headers['X-CSRF-Token'] = token;
    }
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, 'The service cannot be reached. Check that it is running and the network to it.', {}, null);
  }
  noticeBuild(response.headers.get(BUILD_HEADER));
  const type = response.headers.get('Content-Type') || '';
  let data = null;
  if (response.status !== 204) {
    data = type.includes('json') ? await response.json().catch(() => null) : await response.text();
  }
  if (response.status === 401 && !url.startsWith('/login')) {
    const next = encodeURIComponent(location.pathname + location.search);
    location.assign('/login?next=' + next);
  }
  if (!response.ok) {
    const message = data && typeof data === 'object' && data.error
      ? data.error
      : `The service answered ${response.status} ${response.statusText} for ${method} ${url}`;
    throw new ApiError(response.status, message, data && data.details, data);
  }
  return data;
}

export const get = (url) => request('GET', url);
export const post = (url, body) => request('POST', url, body);
export const del = (url) => request('DELETE', url);

/**
 * The SMPTE 2022-7 pair one of whose legs has this port (a listener leg's port, a caller leg's target port), from
 * GET /api/pairs; null when there is none or the list cannot be read. A pair is named by one port only (its
 * pair_id), and an operator may well know it by the other.
 */
export async function pairWithLeg(port) {
  try {
    const payload = await get('/api/pairs');
    const pairs = Object.values((payload && payload.data) || {});
    return pairs.find((p) => (p.legs || []).some((leg) => String(leg.key) === String(port))) || null;
  } catch {
    return null;
  }
}
