// Passkey ceremonies on Gatehouse's pages (server side: src/mfa/passkey-routes.ts).
// A static file because the CSP forbids inline script (src/http/security-headers.ts).
// The page's [data-passkey] element names the endpoints and carries the CSRF
// token; the WebAuthn calls are @simplewebauthn/browser's UMD bundle
// (window.SimpleWebAuthnBrowser, served under /static/vendor/). The element
// stays hidden where the browser has no WebAuthn, so nothing is offered there.
(function () {
  'use strict';
  var lib = window.SimpleWebAuthnBrowser;
  var box = document.querySelector('[data-passkey]');
  if (!box || !lib || !lib.browserSupportsWebAuthn()) return;
  var ceremony = box.getAttribute('data-passkey'); // 'authenticate' | 'register'
  var csrf = box.getAttribute('data-csrf');
  var status = document.getElementById(box.getAttribute('data-status'));
  var button = box.querySelector('[data-passkey-start]');
  var nameInput = box.querySelector('[data-passkey-name]');
  // Texts in the page's language (views/partials/passkey-messages.ejs); English if absent.
  var messages = {};
  try { messages = JSON.parse(box.getAttribute('data-messages') || '{}'); } catch (e) { messages = {}; }
  box.hidden = false;

  function show(message) {
    if (!status) return;
    status.textContent = '';
    if (!message) return;
    var alert = document.createElement('div');
    alert.className = 'alert alert--error';
    var p = document.createElement('p');
    p.textContent = message;
    alert.appendChild(p);
    status.appendChild(alert);
  }

  async function post(url, body) {
    var res = await fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      // The token also travels as `_csrf` in the body, for routers that read it
      // there (the account pages' guard); the interaction endpoints read the header.
      body: JSON.stringify(Object.assign({ _csrf: csrf }, body || {})),
    });
    var data = await res.json().catch(function () { return {}; });
    if (!res.ok) {
      var err = new Error((data.reason && messages[data.reason]) || data.error_description || messages.generic || 'Something went wrong. Please try again.');
      err.fromServer = true;
      throw err;
    }
    return data;
  }

  // Browser-side failures: cancelled, timed out, or no passkey for this site.
  function messageFor(err) {
    if (err.fromServer) return err.message;
    if (err.name === 'InvalidStateError') return messages.duplicate || 'This passkey is already registered.';
    if (err.name === 'NotAllowedError') return messages.notAllowed || 'No passkey was used: the request was cancelled or timed out, or this device has no passkey for this site.';
    return messages.unavailable || 'Your browser could not use a passkey. Please try again or sign in another way.';
  }

  async function run(autofill) {
    var options = await post(box.getAttribute('data-options'));
    var response = ceremony === 'register'
      ? await lib.startRegistration({ optionsJSON: options })
      : await lib.startAuthentication({ optionsJSON: options, useBrowserAutofill: autofill });
    if (button) button.disabled = true;
    var body = { response: response };
    if (nameInput && nameInput.value) body.name = nameInput.value;
    var result = await post(box.getAttribute('data-verify'), body);
    window.location.assign(result.redirect);
  }

  function attempt(autofill) {
    run(autofill).catch(function (err) {
      if (button) button.disabled = false;
      // A conditional request is aborted when the button starts a new one.
      if (err && err.name === 'AbortError') return;
      if (autofill && !err.fromServer) return;
      show(messageFor(err));
    });
  }

  if (button) button.addEventListener('click', function () { show(''); attempt(false); });
  // Conditional UI (WebAuthn Level 3 mediation "conditional"): the browser
  // lists passkeys in the email field's autofill (autocomplete="username webauthn").
  if (box.hasAttribute('data-autofill')) {
    lib.browserSupportsWebAuthnAutofill().then(function (yes) { if (yes) attempt(true); });
  }
})();
