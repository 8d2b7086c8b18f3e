/**
 * Login page: a plain form POST to /login; the service redirects back, or returns here with ?error=1 (wrong
 * credentials) or ?locked=SECONDS&by=WHOSE (too many failed attempts: this browser's, this address's, or all clients'
 * together).
 */
import { el } from './ui.js';

const params = new URLSearchParams(location.search);
document.getElementById('next').value = params.get('next') || '/';

/*
 * A refused login comes back as a new page: the user name typed is kept for this tab (sessionStorage, never the
 * password) and put back, with the cursor in the password, so that a mistyped password costs only the password.
 */
const USER_KEY = 'mcr-login-user';
const form = document.getElementById('login-form');
const username = document.getElementById('username');
form.addEventListener('submit', () => {
  try {
    sessionStorage.setItem(USER_KEY, username.value);
  } catch {
    // storage disabled: the name is typed again
  }
});
if (params.has('error') || params.has('locked')) {
  let typed = null;
  try {
    typed = sessionStorage.getItem(USER_KEY);
  } catch {
    // storage disabled
  }
  if (typed && !username.value) {
    username.value = typed;
    document.getElementById('password').focus();
  }
}
if (params.has('error')) {
  const box = document.getElementById('login-error');
  box.className = 'alert alert-danger';
  box.setAttribute('role', 'alert');
  box.replaceChildren(el('span', {}, 'Wrong user name or password. Check both and try again.'));
}
if (params.has('locked')) {
  const seconds = Number.parseInt(params.get('locked'), 10) || 0;
  const minutes = Math.ceil(seconds / 60);
  const box = document.getElementById('login-error');
  box.className = 'alert alert-warning';
  box.setAttribute('role', 'alert');
  const whose = {
    browser: 'Too many failed logins in this browser. ',
    all: 'Too many failed logins from many addresses together (a flood of wrong passwords). '
      + 'A browser that has signed in here before can still sign in; this one has not. ',
  }[params.get('by')] || 'Too many failed logins from this address. ';
  box.replaceChildren(el('span', {}, whose
    + `Try again in ${minutes <= 1 ? 'a minute' : `${minutes} minutes`}.`));
}
if (params.has('logged_out')) {
  const box = document.getElementById('login-error');
  box.className = 'alert alert-info';
  box.setAttribute('role', 'status');
  box.textContent = 'You are logged out.';
}
