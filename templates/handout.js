// The handout web page's small script (the tool's own file, never a content root's).
// Everything works without it: the quiz's answers wait behind "Show the answer", and the
// browser prints the page with what was ticked and typed. With it:
// - choosing an answer in "Check what you know" says whether it was right, and opens
//   the answer;
// - "Print this page" prints the page with the answers filled in.
// Nothing is stored or sent: no storage, no cookies, no request.
(function () {
  "use strict";

  var quiz = document.querySelector("ol.quiz-list");
  if (quiz) {
    quiz.addEventListener("change", function (event) {
      var input = event.target;
      var row = input.closest("[data-answer]");
      if (!row || input.type !== "radio") { return; }
      var feedback = row.querySelector(".quiz-feedback");
      var answer = row.querySelector("details");
      var said = input.value === row.getAttribute("data-answer") ? "data-right" : "data-wrong";
      if (feedback) { feedback.textContent = quiz.getAttribute(said); }
      if (answer) { answer.open = true; }
    });
  }

  var panel = document.querySelector("[data-print-panel]");
  if (panel && window.print) {
    panel.hidden = false;
    panel.addEventListener("click", function (event) {
      if (event.target.closest("[data-print-page]")) { window.print(); }
    });
  }
}());
