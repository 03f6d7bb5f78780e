// The staff app's small script: follow file changes (server-sent events), copy a note.
(function () {
  "use strict";
  function refresh() {
    var frame = document.getElementById("preview");
    if (frame) { frame.src = frame.src.split("#")[0]; }
    var status = document.getElementById("status");
    if (!status) { return; }
    fetch(window.location.pathname, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("status");
        if (fresh) { status.replaceWith(fresh); }
        document.body.setAttribute("data-generation", fresh ? fresh.getAttribute("data-generation") : "");
      });
  }
  if (window.EventSource && document.getElementById("preview")) {
    var first = null;
    var events = new EventSource("/events");
    events.onmessage = function (event) {
      if (first === null) { first = event.data; return; }
      if (event.data !== first) { first = event.data; refresh(); }
    };
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var field = document.getElementById(button.getAttribute("data-copy"));
    field.select();
    var done = function () {
      var status = document.querySelector(".copy-status");
      if (status) { status.textContent = button.getAttribute("data-copied"); }
    };
    if (navigator.clipboard) { navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); }); }
    else { document.execCommand("copy"); done(); }
  });
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
}());
