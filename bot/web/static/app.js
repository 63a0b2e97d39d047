// The operator's form as one page inside Telegram, and the head's review of it. Every text
// shown comes from the server (bot/texts/web.py) and is set with textContent: nothing
// received is ever parsed as HTML.
"use strict";

(function () {
  var K = window.Kinerja;
  var initData = K.initData, requestId = K.requestId, call = K.call, el = K.el, say = K.say;
  var $ = K.$;
  // Which report a head reviews (the button on the chat's review request says it).
  var reviewId = new URLSearchParams(location.search).get("review");
  var state = { form: null, texts: {}, timers: {} };

  function questions() {
    var all = [];
    state.form.groups.forEach(function (g) { all = all.concat(g.questions); });
    return all;
  }

  function find(n) {
    return questions().filter(function (q) { return q.n === n; })[0];
  }

  function field(q, editable) {
    var box = el("div", { "class": "q", id: "q-" + q.n });
    box.appendChild(el("label", { "for": "v-" + q.n }, q.label));
    box.appendChild(el("p", { "class": "hint", id: "h-" + q.n }, q.hint));
    var row = el("div", { "class": "row" });
    var input;
    var described = "h-" + q.n + " m-" + q.n;
    if (q.kind === "n" || q.kind === "r") {  // a note, or what was done about a recommendation
      input = el("textarea", { id: "v-" + q.n, "aria-describedby": described, maxlength: "2000" });
      if (q.required) { input.setAttribute("aria-required", "true"); }
    } else {
      input = el("input", {
        id: "v-" + q.n, type: "text", inputmode: "decimal", autocomplete: "off",
        enterkeyhint: "next", "aria-describedby": described, maxlength: "40"
      });
      if (q.required) { input.setAttribute("aria-required", "true"); }
    }
    input.value = q.value;
    if (!editable || q.chat_only) { input.readOnly = true; }
    row.appendChild(input);
    if (q.unit) { row.appendChild(el("span", { "class": "unit", "aria-hidden": "true" }, q.unit)); }
    box.appendChild(row);
    var msg = el("p", { "class": "msg", id: "m-" + q.n, "aria-live": "polite" });
    box.appendChild(msg);
    if (q.soft && q.explanation) { say(msg, q.explanation); }
    var explain = el("div", { "class": "explain", id: "x-" + q.n, hidden: "" });
    explain.appendChild(el("label", { "for": "e-" + q.n }, state.texts.explain_label));
    var reason = el("textarea", { id: "e-" + q.n, maxlength: "2000" });
    explain.appendChild(reason);
    var keep = el("button", { type: "button", id: "s-" + q.n }, state.texts.save);
    explain.appendChild(keep);
    box.appendChild(explain);
    if (editable && !q.chat_only) {
      input.addEventListener("change", function () { save(q.n, input.value, ""); });
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && q.kind !== "n" && q.kind !== "r") {
          // As the phone keyboard's "next" key: on to the next field (the change saves).
          event.preventDefault();
          var fields = Array.prototype.filter.call(
            document.querySelectorAll("#form input, #form textarea"),
            function (f) { return !f.readOnly && f.offsetParent !== null; });
          var next = fields[fields.indexOf(input) + 1];
          if (next) { next.focus(); } else { input.blur(); }
        }
      });
      if (q.kind === "i" || q.kind === "b") {  // figures are checked as they are typed
        input.addEventListener("input", function () { checkLater(q.n, input.value); });
      }
      keep.addEventListener("click", function () { save(q.n, input.value, reason.value); });
    }
    return box;
  }

  function checkLater(n, value) {
    clearTimeout(state.timers[n]);
    state.timers[n] = setTimeout(function () {
      if (!value.trim()) { return; }
      call("POST", "api/check", { n: n, value: value }).then(function (r) {
        if ($("v-" + n).value !== value) { return; }  // typed on meanwhile
        var refused = r.status !== 200 || r.data.status === "refused";
        $("v-" + n).setAttribute("aria-invalid", refused ? "true" : "false");
        say($("m-" + n), r.data.message, refused ? "error" : "");
      }, function () { /* the save will say it */ });
    }, 400);
  }

  function save(n, value, explanation) {
    var q = find(n);
    var msg = $("m-" + n);
    if (!value.trim() && q.kind !== "n") {
      // A saved figure is corrected, never deleted (as in chat): the field shows it again.
      $("v-" + n).value = q.value;
      return;
    }
    clearTimeout(state.timers[n]);
    say(msg, state.texts.saving);
    var body = { request: requestId(), n: n, value: value, explanation: explanation };
    return call("POST", "api/answer", body).then(function (r) {
      var input = $("v-" + n);
      var data = r.data;
      if (r.status === 200 && data.status === "saved") {
        Object.assign(q, data.question);
        if (document.activeElement !== input) { input.value = data.question.value; }
        input.setAttribute("aria-invalid", "false");
        $("x-" + n).hidden = true;
        say(msg, data.message, "ok");
      } else if (r.status === 200 && data.status === "explain") {
        input.setAttribute("aria-invalid", "false");
        say(msg, data.message);
        $("x-" + n).hidden = false;
        $("e-" + n).focus();
      } else {
        input.setAttribute("aria-invalid", "true");
        say(msg, data.message, "error");
      }
    }, function () { say(msg, state.texts.offline, "error"); });
  }

  function confirmSend() {
    var empty = questions().filter(function (q) { return !q.answered; });
    var blocked = empty.some(function (q) { return q.required; });
    var list = $("confirm-list");
    list.textContent = "";
    empty.forEach(function (q) { list.appendChild(el("li", {}, q.label)); });
    $("confirm-title").textContent = state.texts.confirm_title;
    $("confirm-lead").textContent = empty.length ? state.texts.empty_title + ":" : state.texts.empty_none;
    $("confirm-note").textContent = blocked ? state.texts.confirm_blocked : (empty.length ? state.texts.confirm_notes : "");
    $("confirm-send").hidden = blocked;
    $("confirm").hidden = false;
    (blocked ? $("confirm-back") : $("confirm-send")).focus();
  }

  function submit() {
    $("confirm").hidden = true;
    var status = $("status");
    status.textContent = state.texts.saving;
    status.className = "status";
    var body = { request: requestId(), version: state.form.version };
    call("POST", "api/submit", body).then(function (r) {
      status.textContent = r.data.message;
      status.className = "status" + (r.status === 200 ? "" : " error");
      if (r.status === 200) { load(r.data.message); }
    }, function () {
      status.textContent = state.texts.offline;
      status.className = "status error";
    });
  }

  function render(form, lead) {
    state.form = form;
    state.texts = form.texts;
    document.title = form.title;
    $("title").textContent = form.title;
    $("status").textContent = lead || "";
    $("notice").textContent = form.notice;
    $("notice").hidden = !form.notice;
    var root = $("form");
    root.textContent = "";
    form.groups.forEach(function (group) {
      var set = el("fieldset");
      set.appendChild(el("legend", {}, group.title));
      group.questions.forEach(function (q) { set.appendChild(field(q, form.editable)); });
      root.appendChild(set);
    });
    $("send").textContent = form.send;
    $("confirm-send").textContent = form.send;
    $("confirm-back").textContent = form.texts.back;
    $("actions").hidden = !form.editable;
    $("main").setAttribute("aria-busy", "false");
  }

  // The head's review: the chat's brief first, the decision, then every answer read-only.
  function renderReview(page) {
    var t = page.review;
    $("brief-title").textContent = t.brief_title;
    $("brief-text").textContent = page.brief;
    $("brief").hidden = false;
    $("entries-title").textContent = t.entries_title;
    $("entries-title").hidden = false;
    K.decisionLabels(t, page.decide);
  }

  function load(lead, failed) {
    var path = reviewId ? "api/review?report=" + encodeURIComponent(reviewId) : "api/form";
    return K.load(path, function (page) {
      render(page, lead);
      if (reviewId) { state.review = page.review; renderReview(page); }
      $("status").className = "status" + (failed ? " error" : "");
    });
  }

  $("form").addEventListener("submit", function (event) { event.preventDefault(); });
  $("send").addEventListener("click", confirmSend);
  $("confirm-send").addEventListener("click", submit);
  function closeConfirm() {
    $("confirm").hidden = true;
    $("send").focus();
  }
  $("confirm-back").addEventListener("click", closeConfirm);
  if (reviewId) {
    K.decisions("api/decide", function (decision, reason) {
      return {
        request: requestId(), report: Number(reviewId), version: state.form.version,
        decision: decision, reason: reason
      };
    }, function () { return { deciding: state.review.deciding, offline: state.texts.offline }; },
    load);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !$("confirm").hidden) { closeConfirm(); }
  });
  K.start(function () { load(""); });
})();
