// Threadline's only page script. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  // Quick exit: leave at once and replace this page in the history, so "back" does not return here.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!link) { return; }
    event.preventDefault();
    try { sessionStorage.clear(); } catch (e) { /* private mode */ }
    window.location.replace(link.href);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var exit = document.querySelector("[data-quick-exit]");
      if (exit && event.shiftKey) { window.location.replace(exit.href); }
    }
  });
  // A print button (the printable safety plan): no inline handler, the CSP forbids them.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });
  // Language select submits itself when changed (the button stays for keyboard and no-JS users).
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "language-select") { event.target.form.submit(); }
  });
  // A page left open after the server ended the session (timeout, sign-out elsewhere, an admin ended
  // it) must not keep showing a youth's record: blank it and go to the sign-in page.
  var SIGN_IN = "/accounts/login/?timeout=1";
  function blankAndLeave(to) {
    try { sessionStorage.clear(); } catch (e) { /* private mode */ }
    document.title = "";
    document.body.replaceChildren();
    window.location.replace(to || SIGN_IN);
  }
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status === 401) {
      event.preventDefault();
      blankAndLeave(xhr.getResponseHeader("HX-Redirect"));
    }
  });
  function signedIn() { return !!document.querySelector('form[action="/accounts/logout/"]'); }
  function checkSession() {
    if (!signedIn() || !window.fetch) { return; }
    fetch("/team/session", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { if (response.status === 401) { blankAndLeave(); } })
      .catch(function () { /* offline: the next check decides */ });
  }
  setInterval(checkSession, 60000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { checkSession(); }
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) { checkSession(); } });
})();
