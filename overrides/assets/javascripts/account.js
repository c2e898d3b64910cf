// The account links (partials/account.html, the members' "Register free to read ..." buttons)
// and the account page (content/account.md). palette.js has already set data-account="in" on
// <html> when the ocr_account hint cookie says the reader has an account (the header then shows
// Log out). Here: every link to the account page gets ?next=<this page>, and on the account page
// the forms' next fields take it, so a reader comes back where they were. Without JavaScript
// the forms still post, and the reader lands on the home page.
(function () {
  "use strict";
  var root = document.documentElement;
  if (/(?:^|;\s*)ocr_account=(registered|subscriber)(?:;|$)/.test(document.cookie)) root.setAttribute("data-account", "in");
  var SAFE = /^\/(?![\/\\])[A-Za-z0-9._~\/-]*$/;   // what netlify/lib/auth.mjs accepts as next
  function start() {
    var page = document.querySelector(".account-page");
    if (page) {
      var next = new URLSearchParams(location.search).get("next") || "";
      if (SAFE.test(next)) {
        [].forEach.call(page.querySelectorAll("input[name=next]"), function (input) { input.value = next; });
      }
      // The form the link named (#register, #log-in), ready to type in; once the page has
      // loaded, so that nothing run at load takes the focus back.
      var focus = function () {
        var target = location.hash && document.getElementById(location.hash.slice(1));
        var email = target && target.querySelector("input[type=email]");
        if (email) email.focus();
      };
      if (document.readyState === "complete") focus(); else window.addEventListener("load", focus);
      window.addEventListener("hashchange", focus);
      return;
    }
    if (location.protocol === "file:" || !SAFE.test(location.pathname)) return;
    [].forEach.call(document.querySelectorAll("a.account-button, a.member-register"), function (a) {
      var url = new URL(a.href);
      url.searchParams.set("next", location.pathname);
      a.href = url.href;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
