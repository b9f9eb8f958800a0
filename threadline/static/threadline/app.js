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
  // Error summary (issue 16, part 7): a form that comes back with errors gets the list of them at its
  // top, and the list takes focus, so a keyboard or screen-reader user lands on what to fix rather than on
  // the page's body; each item links to its field. Built from the errors Django already rendered, so
  // every form has one without each template repeating it.
  function fieldFor(list, form) {
    var field = list.id ? form.querySelector('[aria-describedby~="' + list.id + '"]') : null;
    var box = list.closest(".field, fieldset");
    if (!field && box) { field = box.querySelector("input:not([type=hidden]), select, textarea"); }
    return field && field.id ? field : null;
  }
  function labelOf(field) {
    var label = field && document.querySelector('label[for="' + field.id + '"]');
    var legend = !label && field && field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
    // Django ends a label with ":" unless it ends in other punctuation; the item adds its own separator, so
    // the label's is dropped here ("Contacto:: Indique..." otherwise).
    return ((label || legend || {}).textContent || "").trim().replace(/\s*:$/, "");
  }
  function summaryItem(text, field) {
    var item = document.createElement("li");
    var label = labelOf(field);
    if (!field) { item.textContent = text; return item; }
    var link = document.createElement("a");
    link.href = "#" + field.id;
    // A label that is a question or a sentence ("¿Qué le preocupa? ... poco.") is followed by the error,
    // not by ".: Este campo...".
    link.textContent = label ? label + (/[.?!…]$/.test(label) ? " " : ": ") + text : text;
    link.addEventListener("click", function (event) { event.preventDefault(); field.focus(); });
    item.appendChild(link);
    return item;
  }
  function summarize() {
    var title = document.body.getAttribute("data-error-summary");
    var focused = false;
    var pageAlerts = Array.prototype.slice.call(document.querySelectorAll("main .message-error"));
    Array.prototype.forEach.call(document.querySelectorAll("main form"), function (form) {
      if (form.querySelector(".error-summary")) { return; }
      var found = Array.prototype.filter.call(form.querySelectorAll(".errorlist, .form-errors"), function (el) {
        return !(el.parentElement && el.parentElement.closest(".errorlist, .form-errors")) && el.textContent.trim();
      });
      if (!found.length) { return; }
      var box = document.createElement("div");
      box.className = "error-summary";
      box.tabIndex = -1;
      box.setAttribute("aria-label", title);
      var heading = document.createElement("h2");
      heading.textContent = title;
      var list = document.createElement("ul");
      pageAlerts.splice(0).forEach(function (alert) { list.appendChild(summaryItem(alert.textContent.trim(), null)); });
      found.forEach(function (el) { list.appendChild(summaryItem(el.textContent.trim(), fieldFor(el, form))); });
      box.appendChild(heading);
      box.appendChild(list);
      form.insertBefore(box, form.firstChild);
      if (!focused) { box.focus(); focused = true; }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", summarize);
  } else {
    summarize();
  }
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
