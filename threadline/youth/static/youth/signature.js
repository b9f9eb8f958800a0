// Draw a signature on screen; the drawing goes into a hidden field as a PNG data URL.
(function () {
  "use strict";
  document.querySelectorAll("[data-signature]").forEach(function (box) {
    var canvas = box.querySelector("canvas");
    var input = document.getElementById(box.getAttribute("data-signature"));
    var clear = box.querySelector("[data-signature-clear]");
    if (!canvas || !input) { return; }
    var ctx = canvas.getContext("2d");
    var drawing = false;
    ctx.lineWidth = 2; ctx.lineCap = "round"; ctx.strokeStyle = "#1b1f24";
    function point(event) {
      var rect = canvas.getBoundingClientRect();
      var source = event.touches ? event.touches[0] : event;
      return { x: (source.clientX - rect.left) * (canvas.width / rect.width),
               y: (source.clientY - rect.top) * (canvas.height / rect.height) };
    }
    function start(event) { drawing = true; var p = point(event); ctx.beginPath(); ctx.moveTo(p.x, p.y); event.preventDefault(); }
    function move(event) { if (!drawing) { return; } var p = point(event); ctx.lineTo(p.x, p.y); ctx.stroke(); event.preventDefault(); }
    function end() { if (drawing) { drawing = false; input.value = canvas.toDataURL("image/png"); } }
    canvas.addEventListener("pointerdown", start);
    canvas.addEventListener("pointermove", move);
    window.addEventListener("pointerup", end);
    if (clear) { clear.addEventListener("click", function () { ctx.clearRect(0, 0, canvas.width, canvas.height); input.value = ""; }); }
  });
})();
