// Shows Log out instead of Log in and Register when the ocr_account hint cookie says the
// reader has an account (see overrides/partials/account.html). Runs right after the bar.
(function () {
  "use strict";
  if (/(?:^|;\s*)ocr_account=(registered|subscriber)(?:;|$)/.test(document.cookie)) {
    var bar = document.querySelector(".account-bar");
    if (bar) bar.dataset.account = "in";
  }
})();
