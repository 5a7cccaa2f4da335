/*
 * Askwell's SCORM 1.2 runtime, shipped inside every package Askwell exports.
 *
 * It finds the learning management system's API (window.API in this window, a parent or
 * the opener), shows the module one page at a time, scores the quiz from the answers in
 * the page (no server is asked), and records in the LMS:
 *   - cmi.core.lesson_status, set explicitly every time (never left for the LMS to guess):
 *     passed or failed from the quiz, completed for a module with no quiz, incomplete
 *     until then;
 *   - cmi.core.score.raw / min / max (the best score, out of 100);
 *   - cmi.core.session_time (HHHH:MM:SS.SS) when the session ends;
 *   - cmi.core.lesson_location (the page) and cmi.suspend_data (what was read and the last
 *     answers), kept under SCORM 1.2's 4,096 characters, so a second launch resumes;
 * then LMSCommit, and LMSFinish when the learner saves and finishes or leaves.
 * Written as plain ES5 so the older browsers some LMS players still run can use it.
 */
(function () {
  "use strict";

  var FINISHED = { passed: true, completed: true };
  var startedAt = new Date().getTime();
  var data = JSON.parse(document.getElementById("askwell-package-data").textContent);
  var pageIds = data.pages.map(function (page) { return page.id; });
  var limit = data.suspendDataLimit || 4096;

  // --- The LMS's API -----------------------------------------------------------------------

  function apiIn(win) {
    for (var hops = 0; win && hops < 12; hops += 1) {
      try {
        if (win.API) { return win.API; }
      } catch (crossOrigin) {
        return null;
      }
      if (!win.parent || win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }

  var lms = {
    api: null,
    open: false,
    finished: false,
    errors: [],

    start: function () {
      lms.api = apiIn(window);
      if (!lms.api && window.opener) {
        try { lms.api = apiIn(window.opener); } catch (closed) { lms.api = null; }
      }
      if (!lms.api) { return false; }
      lms.open = String(lms.api.LMSInitialize("")) === "true";
      if (!lms.open) { lms.note("LMSInitialize", ""); }
      return lms.open;
    },

    get: function (element) {
      if (!lms.open) { return ""; }
      var value = lms.api.LMSGetValue(element);
      return value === null || value === undefined ? "" : String(value);
    },

    /* True when the LMS took the value; otherwise the LMS's error code is kept in errors. */
    set: function (element, value) {
      if (!lms.open) { return false; }
      var stored = String(lms.api.LMSSetValue(element, String(value))) === "true";
      if (!stored) { lms.note(element, value); }
      return stored;
    },

    commit: function () {
      if (lms.open && String(lms.api.LMSCommit("")) !== "true") { lms.note("LMSCommit", ""); }
    },

    finish: function () {
      if (!lms.open) { return; }
      lms.open = false;
      lms.finished = true;
      if (String(lms.api.LMSFinish("")) !== "true") { lms.note("LMSFinish", ""); }
    },

    note: function (element, value) {
      var code = String(lms.api.LMSGetLastError());
      var entry = { element: element, value: String(value).slice(0, 80), code: code };
      lms.errors.push(entry);
      if (window.console && window.console.warn) {
        window.console.warn("The LMS refused " + element + " (error " + code + ": " +
          String(lms.api.LMSGetErrorString(code)) + ")");
      }
    }
  };

  // --- What the learner has done, and the record of it --------------------------------------

  var state = {
    read: {},
    page: pageIds[0],
    best: null,
    answers: null,
    statusAtStart: ""
  };

  function everySectionRead() {
    for (var i = 0; i < data.sections.length; i += 1) {
      if (!state.read[data.sections[i]]) { return false; }
    }
    return true;
  }

  function lessonStatus() {
    var status;
    if (!data.quiz) {
      status = everySectionRead() ? "completed" : "incomplete";
    } else if (state.best === null) {
      status = "incomplete";
    } else if (state.best >= data.quiz.passMark) {
      status = everySectionRead() ? "passed" : "incomplete";
    } else {
      status = "failed";
    }
    // A completion the LMS already holds is never taken back by reading the module again.
    if (!FINISHED[status] && FINISHED[state.statusAtStart]) { return state.statusAtStart; }
    return status;
  }

  /* cmi.suspend_data: compact JSON, never longer than SCORM 1.2 allows (some runtimes
     take more, but an LMS need not). The answers go first if it would be; what was read,
     where, and the best score always fit. */
  function suspendData(of) {
    of = of || state;
    var record = {
      v: data.version,
      r: data.sections.map(function (id) { return of.read[id] ? "1" : "0"; }).join(""),
      p: of.page
    };
    if (of.best !== null && of.best !== undefined) { record.b = of.best; }
    if (of.answers) { record.a = of.answers; }
    var text = JSON.stringify(record);
    if (text.length > limit) {
      delete record.a;
      text = JSON.stringify(record);
    }
    if (text.length > limit) {
      record.p = "";
      text = JSON.stringify(record);
    }
    return text;
  }

  function restore(text) {
    var record;
    try { record = JSON.parse(text); } catch (notOurs) { return false; }
    if (!record || record.v !== data.version || typeof record.r !== "string") { return false; }
    data.sections.forEach(function (id, index) { state.read[id] = record.r.charAt(index) === "1"; });
    if (pageIds.indexOf(record.p) >= 0) { state.page = record.p; }
    if (typeof record.b === "number") { state.best = record.b; }
    if (record.a && typeof record.a === "object") { state.answers = record.a; }
    return true;
  }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) { text = "0" + text; }
    return text;
  }

  /* SCORM 1.2's CMITimespan, HHHH:MM:SS.SS. */
  function timespan(milliseconds) {
    var hundredths = Math.max(0, Math.round(milliseconds / 10));
    var hours = Math.floor(hundredths / 360000);
    if (hours > 9999) { return "9999:59:59.99"; }
    var minutes = Math.floor((hundredths % 360000) / 6000);
    var seconds = Math.floor((hundredths % 6000) / 100);
    return pad(hours, 4) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." +
      pad(hundredths % 100, 2);
  }

  function record(finishing) {
    if (!lms.open) { return; }
    var status = lessonStatus();
    lms.set("cmi.core.lesson_status", status);
    if (state.best !== null) {
      lms.set("cmi.core.score.min", "0");
      lms.set("cmi.core.score.max", "100");
      lms.set("cmi.core.score.raw", String(state.best));
    }
    lms.set("cmi.core.lesson_location", state.page.slice(0, 255));
    lms.set("cmi.suspend_data", suspendData());
    lms.set("cmi.core.exit", FINISHED[status] ? "" : "suspend");
    if (finishing) {
      lms.set("cmi.core.session_time", timespan(new Date().getTime() - startedAt));
    }
    lms.commit();
  }

  function finish() {
    if (!lms.open) { return; }
    record(true);
    lms.finish();
  }

  // --- The page ------------------------------------------------------------------------------

  var notice = document.getElementById("askwell-sco-notice");

  function say(text) {
    notice.textContent = text;
  }

  function show(pageId, moveFocus) {
    if (pageIds.indexOf(pageId) < 0) { return; }
    state.page = pageId;
    var pages = document.querySelectorAll("[data-page]");
    for (var i = 0; i < pages.length; i += 1) {
      pages[i].hidden = pages[i].getAttribute("data-page") !== pageId;
    }
    var links = document.querySelectorAll("[data-page-link]");
    for (var j = 0; j < links.length; j += 1) {
      if (links[j].getAttribute("data-page-link") === pageId) {
        links[j].setAttribute("aria-current", "step");
      } else {
        links[j].removeAttribute("aria-current");
      }
    }
    if (moveFocus) {
      var heading = document.getElementById("page-" + pageId).querySelector("h2");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  }

  function refreshProgress() {
    var done = 0;
    data.sections.forEach(function (id) {
      var tag = document.querySelector('[data-done="' + id + '"]');
      if (tag) { tag.hidden = !state.read[id]; }
      if (state.read[id]) { done += 1; }
    });
    var passed = data.quiz && state.best !== null && state.best >= data.quiz.passMark;
    var quizTag = document.querySelector('[data-done="askwell-quiz"]');
    if (quizTag) { quizTag.hidden = !passed; }
    var text = "Sections read: " + done + " of " + data.sections.length + ".";
    if (data.quiz) {
      text += state.best === null ? " Quiz: not taken yet." :
        " Quiz: best score " + state.best + "% (" + (passed ? "passed" : "not passed yet") + ").";
    }
    document.getElementById("askwell-sco-progress").textContent = text;
  }

  // --- The quiz ------------------------------------------------------------------------------

  var form = document.getElementById("askwell-quiz-form");
  var result = document.getElementById("askwell-quiz-result");

  /* Python's round(): halves go to the even number, as Askwell's own quiz scores them. */
  function roundHalfEven(value) {
    var floor = Math.floor(value);
    var difference = value - floor;
    if (Math.abs(difference - 0.5) < 1e-9) { return floor % 2 === 0 ? floor : floor + 1; }
    return Math.round(value);
  }

  function chosenFor(questionId) {
    var inputs = form.querySelectorAll("input");
    var chosen = [];
    for (var i = 0; i < inputs.length; i += 1) {
      if (inputs[i].name === questionId && inputs[i].checked) { chosen.push(inputs[i].value); }
    }
    return chosen.sort();
  }

  function sameSet(left, right) {
    return left.length === right.length && left.every(function (item, index) {
      return item === right[index];
    });
  }

  function grade(answers) {
    var correct = 0;
    var questions = data.quiz.questions;
    questions.forEach(function (question) {
      var chosen = (answers[question.id] || []).slice().sort();
      var right = sameSet(chosen, question.correct.slice().sort());
      if (right) { correct += 1; }
      var card = result.querySelector('[data-result="' + question.id + '"]');
      card.querySelector('[data-verdict="correct"]').hidden = !right;
      card.querySelector('[data-verdict="wrong"]').hidden = right;
      var options = card.querySelectorAll("[data-option]");
      for (var i = 0; i < options.length; i += 1) {
        var id = options[i].getAttribute("data-option");
        var isChosen = chosen.indexOf(id) >= 0;
        var isRight = question.correct.indexOf(id) >= 0;
        options[i].className = "askwell-option-feedback" +
          (isRight ? " askwell-option-feedback--correct" : isChosen ? " askwell-option-feedback--wrong" : "");
        options[i].querySelector("[data-label]").textContent = isChosen ?
          (isRight ? "(your answer, right)" : "(your answer, not right)") :
          (isRight ? "(a right answer you did not choose)" : "(not chosen)");
      }
    });
    var score = questions.length ? roundHalfEven(100 * correct / questions.length) : 0;
    return { score: score, correct: correct };
  }

  function showResult(outcome) {
    var passed = outcome.score >= data.quiz.passMark;
    result.querySelector("[data-score]").textContent = String(outcome.score);
    result.querySelector("[data-correct]").textContent = String(outcome.correct);
    result.querySelector('[data-outcome="passed"]').hidden = !(passed && everySectionRead());
    result.querySelector('[data-outcome="passed-unread"]').hidden = !(passed && !everySectionRead());
    result.querySelector('[data-outcome="failed"]').hidden = passed;
    form.hidden = true;
    result.hidden = false;
  }

  function setQuizErrors(missing) {
    var summary = document.getElementById("askwell-quiz-errors");
    var list = summary.querySelector("ul");
    list.innerHTML = "";
    data.quiz.questions.forEach(function (question, index) {
      var group = form.querySelector('[data-question="' + question.id + '"]');
      var message = document.getElementById("question-" + question.id + "-error");
      var isMissing = missing.indexOf(question.id) >= 0;
      group.className = "nhsuk-form-group" + (isMissing ? " nhsuk-form-group--error" : "");
      message.hidden = !isMissing;
      if (isMissing) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#question-" + question.id + "-" + form.querySelector(
          'input[name="' + question.id + '"]').value;
        link.textContent = "Answer question " + (index + 1);
        item.appendChild(link);
        list.appendChild(item);
      }
    });
    summary.hidden = missing.length === 0;
    if (missing.length) { summary.focus(); }
  }

  function check(event) {
    event.preventDefault();
    var answers = {};
    var missing = [];
    data.quiz.questions.forEach(function (question) {
      answers[question.id] = chosenFor(question.id);
      if (!answers[question.id].length) { missing.push(question.id); }
    });
    setQuizErrors(missing);
    if (missing.length) { return; }
    var outcome = grade(answers);
    state.best = state.best === null ? outcome.score : Math.max(state.best, outcome.score);
    state.answers = answers;
    showResult(outcome);
    refreshProgress();
    record(false);
    result.focus();
  }

  function retry() {
    var inputs = form.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i += 1) { inputs[i].checked = false; }
    result.hidden = true;
    form.hidden = false;
    var first = form.querySelector("input");
    if (first) { first.focus(); }
  }

  // --- Starting -------------------------------------------------------------------------------

  document.body.className += " askwell-sco--js";
  var connected = lms.start();
  if (connected) {
    state.statusAtStart = lms.get("cmi.core.lesson_status");
    var resumed = lms.get("cmi.core.entry") === "resume" || lms.get("cmi.suspend_data") !== "";
    if (resumed && restore(lms.get("cmi.suspend_data"))) {
      say("Welcome back: you are where you left off.");
    } else {
      var saved = lms.get("cmi.core.lesson_location");
      if (pageIds.indexOf(saved) >= 0) { state.page = saved; }
    }
    record(false);
  } else {
    say("No learning system was found, so your progress will not be recorded. " +
      "You can still read the module and take the quiz.");
  }

  show(state.page, false);
  refreshProgress();
  if (data.quiz && state.answers) {
    var previous = grade(state.answers);
    showResult(previous);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    while (target && target !== document && !target.getAttribute("data-go") &&
      !target.getAttribute("data-page-link") && !target.hasAttribute("data-finish") &&
      !target.hasAttribute("data-retry")) {
      target = target.parentNode;
    }
    if (!target || target === document) { return; }
    if (target.hasAttribute("data-finish")) {
      finish();
      say(lms.finished ? "Your progress is saved. You can close the course now." :
        "No learning system was found, so nothing was saved.");
      return;
    }
    if (target.hasAttribute("data-retry")) {
      retry();
      return;
    }
    event.preventDefault();
    var read = target.getAttribute("data-read");
    if (read) { state.read[read] = true; }
    show(target.getAttribute("data-go") || target.getAttribute("data-page-link"), true);
    refreshProgress();
    record(false);
  });
  if (form) { form.addEventListener("submit", check); }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);

  // For whoever administers the LMS: what it refused, and the record as it stands.
  window.AskwellScorm = {
    set: lms.set,
    errors: lms.errors,
    suspendData: suspendData,
    lessonStatus: lessonStatus,
    timespan: timespan
  };
}());
