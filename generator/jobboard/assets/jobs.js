/*
 * Job board filters (generator/jobboard/templates/jobs.html.j2): hide the postings that do not
 * match the chosen credential, work arrangement and state. Runs on the static page, no server; the
 * choice is kept in the address (?credential=CPC&arrangement=remote&state=TX) so a filtered
 * list can be bookmarked or shared. Without JavaScript the form stays hidden and every open
 * posting shows.
 */
(function () {
  "use strict";
  var form = document.getElementById("jobs-filters");
  var list = document.getElementById("jobs-list");
  if (!form || !list) return;
  var count = document.getElementById("jobs-count");
  var none = document.getElementById("jobs-none");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var cards = Array.prototype.slice.call(list.querySelectorAll(".job-card"));

  function words(el, name) {
    return (el.getAttribute("data-" + name) || "").split(/\s+/).filter(Boolean);
  }

  function matches(card, select) {
    var wanted = select.value;
    if (!wanted) return true;
    var have = words(card, select.getAttribute("data-filter"));
    // A remote job open to applicants anywhere in the US is in every state.
    if (select.name === "state" && have.indexOf("US") >= 0) return true;
    return have.indexOf(wanted) >= 0;
  }

  function apply(updateAddress) {
    var shown = 0;
    cards.forEach(function (card) {
      var ok = selects.every(function (s) { return matches(card, s); });
      card.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + " of " + cards.length + " open position" + (cards.length === 1 ? "" : "s") + " shown.";
    none.hidden = shown > 0;
    if (updateAddress && window.history && window.history.replaceState) {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); else params.delete(s.name); });
      var query = params.toString();
      try {
        window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      } catch (e) { /* file:// pages may refuse; the filter still works */ }
    }
  }

  // Values from the address; an unknown value (a closed posting's state) is ignored.
  var params = new URLSearchParams(window.location.search);
  selects.forEach(function (s) {
    var value = params.get(s.name);
    if (value && Array.prototype.some.call(s.options, function (o) { return o.value === value; })) s.value = value;
  });
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply(false);
})();
