/*
 * Search, part 5 of 6: showing results (the header box and the results page share it).
 *
 * OCR.searchUI.Box(input, list, status, options) ties an input to a result list: type to
 * search, arrows to move, Enter to open, Escape to close. In the header box no word match is
 * pre-selected (Enter then opens the results page); an exact code, modifier or range is, so
 * Enter still jumps straight to it. A code the reference does not hold in the system its
 * format names gets a note first ("HCPCS Level II J3420 is not in this reference yet"). Everything a reader or a record supplies reaches the page
 * through textContent (OCR.el), never as HTML.
 */
(function (OCR) {
  "use strict";

  var LABELS = { "cpt": "CPT", "hcpcs": "HCPCS Level II", "icd-10-cm": "ICD-10-CM", "page": "Page" };

  function el(tag, cls, text) { return OCR.el(tag, cls, text == null ? null : String(text)); }

  function resultRow(it, id) {
    var a = el("a", "cc-result");
    a.href = it.url;
    a.id = id;
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    var code = el("span", "cc-result__code cc-result__code--" + it.system + (it.family ? " cc-result__code--family" : ""),
                  it.kind === "page" ? "Page" : it.code);
    a.appendChild(code);
    a.appendChild(el("span", "cc-result__title", it.title));
    var meta = el("span", "cc-result__meta");
    if (it.kind !== "page") {
      var label = LABELS[it.system] + (it.kind === "modifier" ? " modifier" : it.kind === "range" ? " range" : "");
      meta.appendChild(el("span", "cc-result__system", label));
    }
    if (it.family) {
      meta.appendChild(el("span", "cc-result__flag cc-result__flag--family", it.family.chars.length + " encounter codes"));
    } else if (it.billable !== null) {
      meta.appendChild(el("span", "cc-result__flag cc-result__flag--" + (it.billable ? "billable" : "header"),
                          it.billable ? "Billable" : "Header"));
    }
    if (it.isNew) meta.appendChild(el("span", "cc-result__flag cc-result__flag--new", "New"));
    a.appendChild(meta);
    return a;
  }

  function missingNote(missing) {
    var note = el("div", "cc-search__hint cc-search__missing",
                  LABELS[missing.system] + " " + missing.code + " is not in this reference yet. ");
    var link = el("a", "cc-search__browse", "See the " + LABELS[missing.system] + " codes it has");
    link.href = missing.url;
    note.appendChild(link);
    return note;
  }

  function Box(input, list, status, options) {
    var seq = 0, active = -1, last = null, self = this;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    list.setAttribute("role", "listbox");

    function rowsShown() { return list.querySelectorAll(".cc-result"); }
    function highlight(i) {
      var opts = rowsShown();
      if (!opts.length) { active = -1; return; }
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
      if (opts[active].scrollIntoView) opts[active].scrollIntoView({ block: "nearest" });
    }
    function say(text) { if (status) status.textContent = text; }

    function render(result, more) {
      if (!more) {
        list.textContent = "";
        active = -1;
        input.removeAttribute("aria-activedescendant");
        if (result.missing) list.appendChild(missingNote(result.missing));
      }
      var start = rowsShown().length;
      result.items.forEach(function (it, i) { list.appendChild(resultRow(it, list.id + "-" + (start + i))); });
      var shown = start + result.items.length;
      if (!result.query) {
        say(options.dropdown ? "" : "Type a code (E11.65, 99213), a modifier (59), a range (A00-A09) or words (chf, fracture femur).");
      } else if (!shown) {
        var none = "No results for \u201c" + result.query + "\u201d.";
        if (status) say(none); else list.appendChild(el("div", "cc-search__hint cc-search__none", none));
        if (result.nearest.length) {
          list.appendChild(el("div", "cc-search__hint", "Nearest codes:"));
          result.nearest.forEach(function (it, i) { list.appendChild(resultRow(it, list.id + "-n" + i)); });
        }
        result.broader.forEach(function (b) {
          var hint = el("div", "cc-search__hint", "Try a broader search: ");
          var a = el("a", "cc-search__broader", b);
          a.href = options.searchPageUrl(b);
          hint.appendChild(a);
          list.appendChild(hint);
        });
      } else {
        say(result.total === 1 ? "1 result" :
            result.total > shown ? "Showing " + shown + " of " + result.total + " results" :
            result.total + " results");
      }
      if (options.dropdown && result.query && shown) {
        var all = el("a", "cc-search__all", "All " + result.total + " results for \u201c" + result.query + "\u201d");
        all.href = options.searchPageUrl(result.query);
        list.appendChild(all);
      }
      var open = !!result.query;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      // Only an exact code, modifier or range is pre-selected: Enter on words opens the page;
      // so does Enter on "G0439", which reads as HCPCS (not held) and as ICD-10-CM G04.39.
      if (options.dropdown && result.exact && result.items[0] === result.exact && !result.missing) highlight(0);
      list.dataset.query = result.query;
      if (options.onRender) options.onRender(result, shown);
    }

    this.run = function (more) {
      var mine = ++seq, value = input.value, started = performance.now();
      var offset = more ? rowsShown().length : 0;
      return options.search(value, { limit: options.limit, offset: offset, filters: options.filters ? options.filters() : {} })
        .then(function (result) {
          if (mine !== seq) return;           // a later keystroke already answered
          last = result;
          render(result, more);
          list.dataset.ms = String(Math.round(performance.now() - started));
          document.dispatchEvent(new CustomEvent("cc-search-results", { detail: { query: value, count: result.items.length } }));
        }, function (error) {
          if (mine !== seq) return;
          list.textContent = "";
          list.hidden = false;
          say("Search is unavailable: " + error.message + ".");
        });
    };
    this.last = function () { return last; };

    input.addEventListener("input", function () { self.run(); });
    input.addEventListener("focus", function () { if (options.warm) options.warm(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (list.hidden && options.dropdown) { self.run(); return; }
        highlight(active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter") {
        var opts = rowsShown();
        if (active >= 0 && opts[active]) {
          e.preventDefault();
          window.location.href = opts[active].href;
        }
      } else if (e.key === "Escape" && options.dropdown) {
        list.hidden = true;
        input.setAttribute("aria-expanded", "false");
      }
    });
    if (options.dropdown) {
      document.addEventListener("click", function (e) {
        if (!input.form.contains(e.target)) { list.hidden = true; input.setAttribute("aria-expanded", "false"); }
      });
    }
  }

  OCR.searchUI = { Box: Box, resultRow: resultRow, LABELS: LABELS };
})(window.OCR = window.OCR || {});
