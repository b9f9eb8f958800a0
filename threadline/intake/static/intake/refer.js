// Solves the page's proof-of-work challenge (ALTCHA format) with the browser's own SHA-256.
// No third-party script: this file and htmx are the only scripts on the page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-pow]");
  if (!form) { return; }
  if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) {
    // The check cannot run here (an old browser, or a page not served over HTTPS): say so, with the
    // phone line, rather than let someone type it all for nothing.
    var fallback = document.getElementById("pow-fallback");
    if (fallback) { fallback.hidden = false; }
    return;
  }
  var field = form.querySelector("input[name=altcha]");
  var status = document.getElementById("pow-status");
  var challenge;
  try { challenge = JSON.parse(form.getAttribute("data-pow")); } catch (e) { return; }
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  var encoder = new TextEncoder();
  var n = 0;
  function step() {
    var batch = [];
    for (var i = 0; i < 500 && n <= challenge.maxnumber; i += 1, n += 1) {
      batch.push(n);
    }
    Promise.all(batch.map(function (k) {
      return window.crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + k)).then(function (d) {
        return hex(d) === challenge.challenge ? k : -1;
      });
    })).then(function (found) {
      var hit = found.filter(function (k) { return k >= 0; });
      if (hit.length) {
        field.value = btoa(JSON.stringify({
          algorithm: challenge.algorithm, challenge: challenge.challenge, number: hit[0],
          salt: challenge.salt, signature: challenge.signature
        }));
        if (status) { status.textContent = status.getAttribute("data-ready"); }
        return;
      }
      if (n <= challenge.maxnumber) { window.setTimeout(step, 0); }
    });
  }
  step();
})();

// Issue 13: "this is me" asks in the first person. The server already words the page for the answer
// it was sent with (and the "I am the young person" link needs no script); this only switches the
// labels in place when "Who are you?" changes, keeping everything typed.
(function () {
  "use strict";
  var form = document.querySelector("form[data-wordings]");
  var source = document.querySelector("select[name=source]");
  if (!form || !source) { return; }
  var wordings;
  try { wordings = JSON.parse(form.getAttribute("data-wordings")); } catch (e) { return; }
  function apply() {
    var words = source.value === "self" ? wordings.me : wordings.them;
    Object.keys(words).forEach(function (name) {
      var label = document.querySelector("legend[data-for=" + name + "]") ||
        document.querySelector("label[for=id_" + name + "]");
      if (label) { label.textContent = words[name]; }
    });
  }
  source.addEventListener("change", apply);
})();
