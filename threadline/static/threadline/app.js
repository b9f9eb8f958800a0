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
  // Language select submits itself when changed (the button stays for keyboard and no-JS users).
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "language-select") { event.target.form.submit(); }
  });
})();
