/*
 * The site's Netlify forms (ask an expert, post a job): prefill from the address and check
 * the fields before sending, with a message beside each field in plain words. The forms carry
 * `novalidate` so these messages replace the browser's own; Netlify checks nothing, so this is
 * the only validation a sender sees. Values are put into the page with .value/.textContent
 * only.
 */
(function () {
  "use strict";
  var EMAIL = /^[^@\s<>"]+@[^@\s<>"]+\.[A-Za-z]{2,}$/;
  var URL_LIKE = /^https?:\/\/[^\s<>"]+\.[^\s<>"]+$/i;

  function messageFor(field) {
    var value = field.value.trim();
    var label = field.labels && field.labels[0] ? field.labels[0].textContent.replace(/\s*\(.*\)\s*$/, "") : field.name;
    if (field.required && !value) return "Please fill in: " + label + ".";
    if (!value) return "";
    if (field.type === "email" && !EMAIL.test(value)) return "Please give an email address like name@example.org.";
    if (field.getAttribute("data-kind") === "url-or-email" && !EMAIL.test(value) && !URL_LIKE.test(value)) {
      return "Please give a web address starting with https:// or an email address.";
    }
    var min = parseInt(field.getAttribute("minlength") || "0", 10);
    if (min && value.length < min) return "Please write at least " + min + " characters (now " + value.length + ").";
    var max = parseInt(field.getAttribute("maxlength") || "0", 10);
    if (max && value.length > max) return "Please keep it under " + max + " characters.";
    var pattern = field.getAttribute("pattern");
    if (pattern && !new RegExp("^(?:" + pattern + ")$").test(value)) return "That does not look like a code: use letters, digits and dots, such as E11.65 or 99213.";
    if (field.type === "date") {
      var today = new Date().toISOString().slice(0, 10);
      if (value < today) return "The closing date must be today or later.";
    }
    return "";
  }

  function errorBox(field) {
    var box = field.parentNode.querySelector(".cc-form__error");
    return box;
  }

  function check(field) {
    var message = messageFor(field);
    var box = errorBox(field);
    if (box) box.textContent = message;
    if (message) field.setAttribute("aria-invalid", "true");
    else field.removeAttribute("aria-invalid");
    return !message;
  }

  function prefill(form) {
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.querySelectorAll("[data-prefill]"), function (field) {
      var value = params.get(field.getAttribute("data-prefill"));
      if (value && !field.value) {
        var max = parseInt(field.getAttribute("maxlength") || "500", 10);
        field.value = value.slice(0, max);
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.cc-form"), function (form) {
    prefill(form);
    var fields = Array.prototype.filter.call(form.elements, function (el) {
      return (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT") &&
        el.type !== "hidden" && el.type !== "checkbox" && el.name !== "bot-field";
    });
    fields.forEach(function (field) {
      field.addEventListener("blur", function () { if (field.value) check(field); });
    });
    form.addEventListener("submit", function (event) {
      var bad = fields.filter(function (field) { return !check(field); });
      if (bad.length) {
        event.preventDefault();
        bad[0].focus();
      }
    });
  });
})();
