// The operator's form as one page inside Telegram. Every text shown comes from the server
// (bot/texts/web.py) and is set with textContent: nothing received is ever parsed as HTML.
"use strict";

(function () {
  var launch = new URLSearchParams(location.hash.slice(1));
  var initData = launch.get("tgWebAppData") || "";
  var $ = function (id) { return document.getElementById(id); };
  var state = { form: null, texts: {}, timers: {} };

  // Telegram's theme colours (tgWebAppThemeParams), each checked to be a colour.
  var themeNames = {
    bg_color: "--bg", text_color: "--text", hint_color: "--hint", link_color: "--link",
    button_color: "--button", button_text_color: "--button-text",
    secondary_bg_color: "--section"
  };
  try {
    var theme = JSON.parse(launch.get("tgWebAppThemeParams") || "{}");
    Object.keys(themeNames).forEach(function (key) {
      if (/^#[0-9a-fA-F]{6}$/.test(theme[key] || "")) {
        document.documentElement.style.setProperty(themeNames[key], theme[key]);
      }
    });
  } catch (e) { /* no theme: the page's own colours */ }

  function requestId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // A write keeps its request id across retries: the server applies it once.
  function call(method, path, body, tries) {
    var options = { method: method, headers: { Authorization: "tma " + initData } };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    }, function (error) {
      if ((tries || 0) < 2) {
        return new Promise(function (resolve) { setTimeout(resolve, 800); }).then(function () {
          return call(method, path, body, (tries || 0) + 1);
        });
      }
      throw error;
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function say(node, text, kind) {
    node.textContent = text || "";
    node.className = "msg" + (kind ? " " + kind : "");
  }

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

  function load(lead) {
    return call("GET", "api/form").then(function (r) {
      if (r.status === 200) {
        render(r.data, lead);
      } else {
        $("status").textContent = r.data.message;
        $("status").className = "status error";
        $("main").setAttribute("aria-busy", "false");
      }
    }, function () {
      $("status").hidden = true;
      $("offline").hidden = false;
      $("main").setAttribute("aria-busy", "false");
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
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !$("confirm").hidden) { closeConfirm(); }
  });
  if (!initData) {
    $("status").hidden = true;
    $("no-launch").hidden = false;
    $("main").setAttribute("aria-busy", "false");
  } else {
    load("");
  }
})();
