// The staff app's small script. Everything works without it; with it:
// - an aid's page follows file changes (server-sent events), the whole page, keeping
//   what was typed or ticked in the form (and only that: the rest follows the server);
// - a search is posted and its list shown in place (no typed words in the address);
// - Back to an aid's page shows an empty form, not the last patient's;
// - Enter in a field of the patient's-copy form does not send it;
// - "Print handout" opens the PDF in a new tab, and a problem comes back in this tab;
// - "Copy note" copies the chart note.
(function () {
  "use strict";

  // What the form holds: all of it is put back when the page is refreshed (what was
  // typed, and what came back from the server with a problem), except a date still at
  // the day the page was made: it follows the server, so a page left open overnight
  // gets the new day's date, not yesterday's.
  function formValues(form) {
    var values = { fields: {}, ticked: {} };
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        values.ticked[field.name + "=" + field.value] = field.checked;
      } else if (field.tagName === "SELECT") {
        values.fields[field.name] = field.value;
      } else if (!leftAtToday(field)) {
        values.fields[field.name] = field.value;
      }
    });
    return values;
  }

  function leftAtToday(field) {
    return field.hasAttribute("data-today") && field.value === field.getAttribute("data-today");
  }

  function restore(form, values) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled) { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        var key = field.name + "=" + field.value;
        if (key in values.ticked) { field.checked = values.ticked[key]; }
      } else if (field.name in values.fields) {
        field.value = values.fields[field.name];
      }
    });
  }

  // What the page shown was made from (the server's files and day): a refresh that
  // brings the same is not put in place, so a save of the same bytes, or a second
  // look at one save, leaves a problem shown after a refused copy where it is.
  var mainNow = document.querySelector("main");
  var shown = mainNow ? mainNow.getAttribute("data-version") : null;

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  // Put the <main> of another page of the app (and its title) in place of this one's.
  function swapMain(html, keepForm) {
    var doc = typeof html === "string" ? parse(html) : html;
    var fresh = doc.querySelector("main");
    var main = document.querySelector("main");
    if (!fresh || !main) { return null; }
    shown = fresh.getAttribute("data-version");
    var form = main.querySelector("form.consult");
    var values = keepForm && form ? formValues(form) : null;
    var focused = document.activeElement ? document.activeElement.id : "";
    main.innerHTML = fresh.innerHTML;
    document.title = doc.title;
    var freshForm = main.querySelector("form.consult");
    if (values && freshForm) { restore(freshForm, values); }
    var again = focused && document.getElementById(focused);
    if (again && keepForm) { again.focus(); }
    return main;
  }

  function refresh() {
    fetch(window.location.pathname, { cache: "no-store", credentials: "same-origin" })
      // 404: the aid is gone (renamed, removed): its print form must go too.
      .then(function (r) { return r.ok || r.status === 404 ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var doc = parse(html);
        var fresh = doc.querySelector("main");
        if (fresh && shown && fresh.getAttribute("data-version") === shown) { return; }
        swapMain(doc, true);
      });
  }
  if (window.EventSource && document.getElementById("preview")) {
    // The generation this page was made from: a change (a save, a new day) between
    // making the page and the stream's first message is still a change.
    var status = document.getElementById("status");
    var seen = status ? status.getAttribute("data-generation") : null;
    var events = new EventSource("/events");
    events.onmessage = function (event) {
      if (seen === null) { seen = event.data; return; }
      if (event.data !== seen) { seen = event.data; refresh(); }
    };
  }

  // Search: what was typed (it may be a patient's name) goes in a POST body, never in
  // the page's address, the browser's history or the server's log; the list found is
  // put in place of this one, and the box keeps the focus.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("search") || !window.fetch || !window.URLSearchParams) { return; }
    event.preventDefault();
    var body = new URLSearchParams();
    body.append("q", form.elements.q.value);
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (!swapMain(html, false)) { form.submit(); return; }
        var box = document.getElementById("q");
        if (box) { box.focus(); box.setSelectionRange(box.value.length, box.value.length); }
      })
      .catch(function () { form.submit(); });
  });

  // Enter after typing a name must not print or download anything.
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || field.tagName !== "INPUT") { return; }
    if (field.form && field.form.classList.contains("consult")) { event.preventDefault(); }
  });

  // "Print handout": the PDF in a new tab; the form again, with its errors, in this one.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (!button || !window.fetch || !window.URL || !window.FormData) { return; }
    event.preventDefault();
    var tab = window.open("", "_blank"); // now, while the click still counts as the user's
    if (tab) {
      tab.document.title = button.getAttribute("data-wait");
      tab.document.body.textContent = button.getAttribute("data-wait");
    }
    fetch(button.formAction, { method: "POST", body: new FormData(button.form), credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("content-type") || "";
        if (response.ok && type.indexOf("application/pdf") === 0) {
          return response.blob().then(function (blob) {
            var url = URL.createObjectURL(blob);
            if (tab) { tab.location.href = url; } else { window.location.href = url; }
            window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
          });
        }
        if (tab) { tab.close(); }
        return response.text().then(function (html) {
          var main = swapMain(html, false);
          var summary = main && main.querySelector("#error-summary, .banner-error");
          if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
        });
      })
      .catch(function () {
        if (tab) { tab.close(); }
        window.alert(button.getAttribute("data-failed"));
      });
  });

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
  // Back to a page after a copy or a chart note: nothing of that patient may stay
  // ticked or typed for the next one (a page from the back-forward cache, or one whose
  // form the browser filled in again).
  window.addEventListener("pageshow", function (event) {
    var entries = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    var back = entries.length && entries[0].type === "back_forward";
    if (!event.persisted && !back) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("form.consult"), function (form) {
      form.reset();
    });
  });

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
}());
