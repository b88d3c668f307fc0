/* A Cluster4Smart lesson as a SCORM 1.2 SCO.
 *
 * Finds the learning platform's API object in the parent frames and the opener, starts
 * the session (LMSInitialize), scores the lesson's quiz in the browser, reports the score
 * (cmi.core.score.raw/min/max) and the status (cmi.core.lesson_status passed or failed;
 * completed for a lesson without a quiz), commits, and ends the session (LMSFinish) when
 * the learner leaves the page. Without a platform the quiz is scored all the same and
 * the page says that the result is not recorded.
 *
 * The page's texts (in its own language) come from data attributes: this file is the
 * same for every language.
 */
(function () {
    "use strict";

    var MAX_PARENTS = 10;

    function findIn(win) {
        var depth = 0;
        while (win && depth <= MAX_PARENTS) {
            try {
                if (win.API) {
                    return win.API;
                }
            } catch (error) {
                // A frame of another origin: its properties cannot be read.
            }
            if (!win.parent || win.parent === win) {
                break;
            }
            win = win.parent;
            depth += 1;
        }
        return null;
    }

    function findAPI() {
        var api = findIn(window);
        if (!api && window.opener) {
            api = findIn(window.opener);
        }
        return api;
    }

    var api = findAPI();
    var started = false;
    var finished = false;
    var startTime = new Date().getTime();

    function call(name) {
        if (!api || typeof api[name] !== "function") {
            return "";
        }
        try {
            return String(api[name].apply(api, Array.prototype.slice.call(arguments, 1)));
        } catch (error) {
            return "";
        }
    }

    function set(element, value) {
        return call("LMSSetValue", element, String(value));
    }

    function two(number) {
        return (number < 10 ? "0" : "") + number;
    }

    function sessionTime() {
        var seconds = Math.max(0, Math.round((new Date().getTime() - startTime) / 1000));
        var hours = Math.floor(seconds / 3600);
        var minutes = Math.floor((seconds % 3600) / 60);
        return (hours < 1000 ? ("000" + hours).slice(-4) : String(hours)) + ":" +
            two(minutes) + ":" + two(seconds % 60);
    }

    var lesson = document.getElementById("lesson");
    var hasQuiz = lesson && lesson.getAttribute("data-quiz") === "yes";
    var passMark = lesson ? parseInt(lesson.getAttribute("data-pass-mark"), 10) || 0 : 0;

    function start() {
        if (!api) {
            return;
        }
        started = call("LMSInitialize", "") === "true";
        if (!started) {
            return;
        }
        var status = call("LMSGetValue", "cmi.core.lesson_status");
        if (!status || status === "not attempted") {
            set("cmi.core.lesson_status", hasQuiz ? "incomplete" : "completed");
            call("LMSCommit", "");
        }
    }

    function finish() {
        if (!started || finished) {
            return;
        }
        finished = true;
        set("cmi.core.session_time", sessionTime());
        set("cmi.core.exit", "");
        call("LMSCommit", "");
        call("LMSFinish", "");
    }

    function showStatus() {
        var status = document.getElementById("lms-status");
        if (!status) {
            return;
        }
        status.textContent = status.getAttribute(started ? "data-connected" : "data-offline");
        status.hidden = false;
    }

    function fill(template, values) {
        return template.replace(/\{(\w+)\}/g, function (match, name) {
            return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
        });
    }

    function score(form, result) {
        var questions = form.querySelectorAll(".quiz__question");
        var correct = 0;
        var unanswered = 0;
        var i;
        for (i = 0; i < questions.length; i += 1) {
            var inputs = questions[i].querySelectorAll("input");
            var chosen = 0;
            var right = true;
            var j;
            for (j = 0; j < inputs.length; j += 1) {
                var isCorrect = inputs[j].getAttribute("data-correct") === "true";
                if (inputs[j].checked) {
                    chosen += 1;
                }
                if (inputs[j].checked !== isCorrect) {
                    right = false;
                }
            }
            if (chosen === 0) {
                unanswered += 1;
            }
            questions[i].setAttribute("data-right", right ? "true" : "false");
        }
        if (unanswered > 0) {
            result.className = "quiz__result is-failed";
            result.textContent = result.getAttribute("data-missing");
            result.hidden = false;
            result.focus();
            return null;
        }
        for (i = 0; i < questions.length; i += 1) {
            var question = questions[i];
            var isRight = question.getAttribute("data-right") === "true";
            if (isRight) {
                correct += 1;
            }
            question.className = "quiz__question " + (isRight ? "is-correct" : "is-wrong");
            var verdict = question.querySelector(".quiz__verdict");
            verdict.textContent = result.getAttribute(isRight ? "data-right" : "data-wrong");
            verdict.hidden = false;
            question.querySelector(".quiz__explanation").hidden = false;
            var choices = question.querySelectorAll(".quiz__choice");
            for (var k = 0; k < choices.length; k += 1) {
                var input = choices[k].querySelector("input");
                var feedback = choices[k].querySelector(".quiz__feedback");
                if (feedback) {
                    feedback.hidden = !(input.checked || input.getAttribute("data-correct") === "true");
                }
            }
        }
        var total = questions.length;
        var percent = total ? Math.round((100 * correct) / total) : 0;
        var passed = percent >= passMark;
        result.className = "quiz__result " + (passed ? "is-passed" : "is-failed");
        result.textContent = fill(result.getAttribute("data-score"), {
            score: percent, correct: correct, total: total
        }) + " " + result.getAttribute(passed ? "data-passed" : "data-failed");
        result.hidden = false;
        result.focus();
        return {score: percent, passed: passed};
    }

    function report(outcome) {
        if (!started || finished) {
            return;
        }
        set("cmi.core.score.min", 0);
        set("cmi.core.score.max", 100);
        set("cmi.core.score.raw", outcome.score);
        set("cmi.core.lesson_status", outcome.passed ? "passed" : "failed");
        call("LMSCommit", "");
    }

    start();
    showStatus();

    var form = document.getElementById("quiz-form");
    var result = document.getElementById("quiz-result");
    if (form && result) {
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            var outcome = score(form, result);
            if (outcome) {
                report(outcome);
            }
        });
    }
    // pagehide fires when the page is left, closed, or its frame removed or navigated;
    // beforeunload comes first in some players. No unload listener: browsers are
    // retiring it, and it keeps pages out of the back/forward cache.
    window.addEventListener("pagehide", finish);
    window.addEventListener("beforeunload", finish);
}());
