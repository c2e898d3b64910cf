// Shows Log out instead of Log in and Register when the ocr_account hint cookie says the
// reader has an account (see overrides/partials/account.html), and opens the Register form
// when a members-only section's "Register free to read ..." button is followed.
// Runs right after the bar.
(function () {
  "use strict";
  var bar = document.querySelector(".account-bar");
  if (!bar) return;
  if (/(?:^|;\s*)ocr_account=(registered|subscriber)(?:;|$)/.test(document.cookie)) {
    bar.dataset.account = "in";
  }
  function openRegister() {
    var form = document.getElementById("register-form");
    if (!form || location.hash !== "#register-form") return;
    var details = form.closest("details");
    if (details) details.open = true;
    var email = form.querySelector("input[type=email]");
    if (email) email.focus();
  }
  window.addEventListener("hashchange", openRegister);
  document.addEventListener("DOMContentLoaded", openRegister);
})();
