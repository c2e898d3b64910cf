/*
 * The ask box on the page: partials/ask.html leaves an empty placeholder (<div id="cc-ask">,
 * with data-ask-page on the Ask page), since without JavaScript there is nothing to answer
 * with; this script puts the box in its place, wires the form to OCR.ask.answer and renders
 * answers. On the Ask page the question is kept in the address (?q=...), so an answer can be
 * shared and comes back on reload and with the back button; its example questions are links
 * that ask themselves. Everything from a reader or a record goes into the page as text
 * (textContent, setAttribute), never as HTML.
 */
(function (root) {
  "use strict";
  var OCR = root.OCR, ask = OCR.ask, doc = root.document;
  var section = doc.getElementById("cc-ask");
  var shards = OCR.shards.create({ callback: "__askShard", base: OCR.urls.asset("ask-data/"), label: "ask data file" });
  var store = new ask.Store(shards.load);
  var links = new ask.Links(OCR.urls, store);
  var ctx = { store: store, links: links, from: root.location.pathname };
  root.__askAnswer = function (q) { return ask.answer(ctx, q); };   // for tests and the console
  if (!section) return;
  if (!section.querySelector("form")) section = build(section);

  var form = section.querySelector("form");
  var input = section.querySelector(".cc-ask__input");
  var box = section.querySelector(".cc-ask__answer");
  var expert = section.querySelector(".cc-ask__expert");
  var onAskPage = section.hasAttribute("data-ask-page");
  var pageCode = (function () {
    var parts = root.location.pathname.replace(/index\.html$/, "").replace(/\.html$/, "/").split("/").filter(Boolean);
    return parts.length >= 2 && /^(cpt|hcpcs|icd-10-cm|modifiers)$/.test(parts[parts.length - 2]) ? decodeURIComponent(parts[parts.length - 1]) : "";
  })();

  // The box, in place of the placeholder (same id, and data-ask-page when it has it).
  function build(placeholder) {
    var el = OCR.el;
    var box = el("section", { "class": "cc-ask", id: "cc-ask", "aria-labelledby": "cc-ask-title",
                              "data-ask-page": placeholder.hasAttribute("data-ask-page"), hidden: true }, [
      el("h2", { id: "cc-ask-title", "class": "cc-ask__title", text: "Ask the reference" }),
      el("form", { "class": "cc-ask__form", action: OCR.urls.page("ask.md"), method: "get", role: "search",
                   "aria-label": "Ask the reference" }, [
        el("input", { type: "text", name: "q", "class": "cc-ask__input", maxlength: "300", autocomplete: "off",
                      placeholder: "Ask about codes, modifiers, guidelines, excludes...",
                      "aria-label": "Ask a question about codes, modifiers, guidelines or excludes notes" }),
        el("button", { type: "submit", "class": "md-button md-button--primary cc-ask__button", text: "Ask" })
      ]),
      el("div", { "class": "cc-ask__answer", "aria-live": "polite" }),
      el("p", { "class": "cc-ask__note" }, [
        "Answers are computed in your browser from this reference's records and link every record they use. Not sure? ",
        el("a", { "class": "cc-ask__expert", href: OCR.urls.page("ask-an-expert.md"), text: "Ask an expert" }), "."
      ])
    ]);
    placeholder.parentNode.replaceChild(box, placeholder);
    return box;
  }

  // An answer's node tree as DOM: text only through text nodes (OCR.el, core/dom.js).
  function dom(node) {
    return typeof node === "string" ? node : OCR.el(node.tag, node.attrs, node.children.map(dom));
  }

  function render(a, question) {
    box.textContent = "";
    if (!a) return;
    var k = ask.answers.kit(ctx), h = ask.answers.h;
    var card = h("article", { "class": "cc-ask__card cc-ask__card--" + a.kind, "data-kind": a.kind });
    if (a.verdict) card.attrs["data-verdict"] = a.verdict;
    if (a.lead) card.children.push(h("p", { "class": "cc-ask__lead", text: a.lead }));
    card.children = card.children.concat(a.parts);
    if (a.sources.length) {
      card.children.push(h("p", { "class": "cc-ask__sources" }, ["Sources: "].concat(a.sources.map(function (s, i) {
        var item = s.topic ? h("a", { href: s.url, text: s.title }) : h("span", {}, [k.at(s)]);
        return h("span", {}, [i ? "; " : "", item]);
      }))));
    }
    if (!onAskPage) {
      card.children.push(h("p", { "class": "cc-ask__share" }, [h("a", { href: links.ask(question), text: "Link to this answer" })]));
    }
    box.appendChild(dom(card));
  }

  function run(question) {
    box.setAttribute("aria-busy", "true");
    expert.href = links.expert(question, pageCode, root.location.pathname);
    return ask.answer(ctx, question).then(function (a) { render(a, question); }, function (err) {
      render(ask.answers.unknown(ctx, question, "The reference's answer data did not load (" + err.message + ")."), question);
    }).then(function () {
      box.removeAttribute("aria-busy");
      section.setAttribute("data-answered", String(Number(section.getAttribute("data-answered") || 0) + 1));
    });
  }

  // Ask `question`; on the Ask page also put it in the address (a new history entry when asked).
  function submit(question, push) {
    var q = question.trim().slice(0, ask.MAX_QUESTION);
    if (!q) return;
    input.value = q;
    if (onAskPage && push) {
      var url = new URL(root.location.href);
      url.search = "?q=" + encodeURIComponent(q);
      try { root.history.pushState({ q: q }, "", url.href); } catch (e) { /* file:// may refuse */ }
    }
    run(q);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit(input.value, true);
  });
  if (onAskPage) {
    // The box comes first on the Ask page, above the explanation (and on phones, on the first screen).
    var slot = doc.getElementById("cc-ask-slot");
    if (slot) slot.appendChild(section);
    doc.addEventListener("click", function (event) {
      var a = event.target.closest && event.target.closest("a[data-ask-example]");
      if (!a || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      submit(a.getAttribute("data-ask-example") || a.textContent, true);
      input.focus();
    });
    root.addEventListener("popstate", function () {
      var q = new URLSearchParams(root.location.search).get("q");
      if (q) submit(q, false);
      else { input.value = ""; box.textContent = ""; }
    });
  }
  // Shown only now: without JavaScript there is nothing to answer with.
  section.hidden = false;
  expert.href = links.expert("", pageCode, root.location.pathname);
  var initial = onAskPage ? new URLSearchParams(root.location.search).get("q") : null;
  if (initial) submit(initial, false);
})(window);
