// What every page of the Mini App shares: the launch data, the theme, and the API calls.
// Every text shown comes from the server and is set with textContent, never parsed as HTML.
"use strict";

window.Kinerja = (function () {
  var launch = new URLSearchParams(location.hash.slice(1));
  var initData = launch.get("tgWebAppData") || "";

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

  var $ = function (id) { return document.getElementById(id); };

  function idle() { $("main").setAttribute("aria-busy", "false"); }

  // A page's data: drawn by ``render``, or the refusal said, or "no connection" shown.
  function load(path, render) {
    return call("GET", path).then(function (r) {
      if (r.status === 200) {
        render(r.data);
      } else {
        $("status").textContent = r.data.message;
        $("status").className = "status error";
      }
      idle();
    }, function () {
      $("status").hidden = true;
      $("offline").hidden = false;
      idle();
    });
  }

  // Setujui / Minta revisi (its reason asked in place), on the head's review and on the
  // leaders' dashboard alike. ``body(decision, reason)`` makes the request; ``texts()`` gives
  // the page's texts; ``reload(lead, failed)`` shows where things stand afterwards.
  function decisions(path, body, texts, reload) {
    function decide(decision, reason) {
      $("status").textContent = texts().deciding;
      $("status").className = "status";
      call("POST", path, body(decision, reason)).then(function (r) {
        if (r.status === 422) {
          say($("reason-msg"), r.data.message, "error");
          $("reason").setAttribute("aria-invalid", "true");
          $("reason").focus();
          $("status").textContent = "";
          return;
        }
        $("return-box").hidden = true;
        // Decided here or already elsewhere: the page shows where things stand now.
        reload(r.data.message, r.status !== 200);
      }, function () {
        $("status").textContent = texts().offline;
        $("status").className = "status error";
      });
    }
    $("approve").addEventListener("click", function () { decide("approve", ""); });
    $("return").addEventListener("click", function () {
      say($("reason-msg"), "");
      $("reason").removeAttribute("aria-invalid");
      $("return-box").hidden = false;
      $("reason").focus();
    });
    $("return-send").addEventListener("click", function () { decide("return", $("reason").value); });
    $("return-cancel").addEventListener("click", function () {
      $("return-box").hidden = true;
      $("return").focus();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !$("return-box").hidden) { $("return-cancel").click(); }
    });
    // A decision taken in chat meanwhile: coming back to the page shows it.
    document.addEventListener("visibilitychange", function () {
      if (initData && document.visibilityState === "visible") { reload("", false); }
    });
  }

  // The decision panel's labels, and whether it shows at all.
  function decisionLabels(t, shown) {
    $("approve").textContent = t.approve;
    $("return").textContent = t.return;
    $("reason-label").textContent = t.reason_label;
    $("return-send").textContent = t.send_return;
    $("return-cancel").textContent = t.cancel;
    $("decision").hidden = !shown;
    if (!shown) { $("return-box").hidden = true; }
  }

  // Opened without Telegram's launch data: say where the page is opened from.
  function start(go) {
    if (!initData) {
      $("status").hidden = true;
      $("no-launch").hidden = false;
      idle();
    } else {
      go();
    }
  }

  return {
    initData: initData, requestId: requestId, call: call, el: el, say: say, $: $, load: load,
    decisions: decisions, decisionLabels: decisionLabels, start: start
  };
})();
