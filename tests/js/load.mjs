// Load the site's classic browser scripts into a Node `vm` context with a minimal window and
// document, so that the code rules and the search and ask engines run under `node --test`
// without a browser.
//
//   const win = loadScripts(["core/codes-data.js", "core/codes.js"]);       // -> win.OCR.codes
//   const win = loadScripts(CORE, { base: "file:///tmp/site/", attrs: { "core/urls.js": { "data-urls": "file" } },
//                                   siteDir: "/tmp/site" });
//
// Paths are relative to overrides/assets/javascripts/ (or to options.assets). Each script runs with
// document.currentScript set to a <script> whose src is <base>assets/javascripts/<path> and
// whose attributes are attrs[path]. A <script> the code appends to the document (a shard file)
// is read from siteDir at the path its src names under base, run in the same context, and then
// its onload is called; a missing file calls onerror. `win.settle()` waits for those loads.
// The DOM is a small stand-in: elements with attributes, children, textContent, className,
// querySelector(All) by tag, id or class; enough for the engines, not a browser.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ASSETS = join(ROOT, "overrides", "assets", "javascripts");
export const CORE = ["core/codes-data.js", "core/codes.js", "core/dom.js", "core/shards.js", "core/urls.js"];

class Node_ {
  constructor(tag, doc) {
    this.tagName = tag.toUpperCase();
    this.nodeName = this.tagName;
    this.ownerDocument = doc;
    this.attributes = {};
    this.childNodes = [];
    this.parentNode = null;
    this._text = "";
  }
  get children() { return this.childNodes.filter((c) => c.nodeType === 1); }
  get nodeType() { return this.tagName === "#TEXT" ? 3 : 1; }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; }
  hasAttribute(name) { return name in this.attributes; }
  removeAttribute(name) { delete this.attributes[name]; }
  get className() { return this.getAttribute("class") || ""; }
  set className(v) { this.setAttribute("class", v); }
  get id() { return this.getAttribute("id") || ""; }
  set id(v) { this.setAttribute("id", v); }
  get href() { return this.getAttribute("href") || ""; }
  set href(v) { this.setAttribute("href", v); }
  get src() { return this.getAttribute("src") || ""; }
  set src(v) { this.setAttribute("src", v); }
  get hidden() { return this.hasAttribute("hidden"); }
  set hidden(v) { if (v) this.setAttribute("hidden", ""); else this.removeAttribute("hidden"); }
  get textContent() {
    return this.nodeType === 3 ? this._text : this._text + this.childNodes.map((c) => c.textContent).join("");
  }
  set textContent(v) { this.childNodes = []; this._text = String(v); }
  get innerHTML() { throw new Error("innerHTML is not available in tests/js/load.mjs: use textContent"); }
  set innerHTML(v) { throw new Error("innerHTML is not available in tests/js/load.mjs: use textContent"); }
  appendChild(child) {
    if (child.parentNode) child.parentNode.removeChild(child);
    child.parentNode = this;
    this.childNodes.push(child);
    this.ownerDocument._appended(child);
    return child;
  }
  removeChild(child) {
    this.childNodes = this.childNodes.filter((c) => c !== child);
    child.parentNode = null;
    return child;
  }
  addEventListener() {}
  removeEventListener() {}
  _all() { return this.children.flatMap((c) => [c, ...c._all()]); }
  _matches(sel) {
    if (sel.startsWith("#")) return this.id === sel.slice(1);
    if (sel.startsWith(".")) return this.className.split(/\s+/).includes(sel.slice(1));
    return this.tagName === sel.toUpperCase();
  }
  querySelectorAll(sel) { return this._all().filter((n) => n._matches(sel)); }
  querySelector(sel) { return this.querySelectorAll(sel)[0] || null; }
}

class Document_ {
  constructor(onScript) {
    this._onScript = onScript;
    this.documentElement = new Node_("html", this);
    this.head = new Node_("head", this);
    this.body = new Node_("body", this);
    this.documentElement.childNodes.push(this.head, this.body);
    this.head.parentNode = this.documentElement;
    this.body.parentNode = this.documentElement;
    this.currentScript = null;
  }
  createElement(tag) { return new Node_(tag, this); }
  createTextNode(text) { const n = new Node_("#text", this); n._text = String(text); return n; }
  getElementById(id) { return this.documentElement.querySelector("#" + id); }
  querySelector(sel) { return this.documentElement.querySelector(sel); }
  querySelectorAll(sel) { return this.documentElement.querySelectorAll(sel); }
  addEventListener() {}
  _appended(node) { if (node.tagName === "SCRIPT" && node.src) this._onScript(node); }
}

export function loadScripts(paths, options = {}) {
  const base = options.base || "http://site.test/";
  const pending = [];
  const context = {
    URL, URLSearchParams, Promise, console, setTimeout, clearTimeout, Array, Object, JSON, Math,
    String, Number, RegExp, Error, Date, Map, Set,
  };
  const win = vm.createContext(context);
  win.window = win;
  win.location = new URL(options.page || base);
  win.sessionStorage = win.localStorage = undefined;
  const document = new Document_((node) => {
    const url = new URL(node.src, base);
    const rel = decodeURIComponent(url.href.slice(new URL(base).href.length));
    const file = options.siteDir ? join(options.siteDir, rel) : null;
    pending.push(new Promise((done) => setTimeout(() => {
      if (file && url.href.startsWith(base) && existsSync(file)) {
        vm.runInContext(readFileSync(file, "utf-8"), win, { filename: file });
        node.onload && node.onload();
      } else {
        node.onerror && node.onerror();
      }
      done();
    }, 0)));
  });
  win.document = document;
  for (const path of paths) {
    const tag = document.createElement("script");
    tag.attributes.src = new URL("assets/javascripts/" + path, base).href;
    Object.entries((options.attrs || {})[path] || {}).forEach(([k, v]) => tag.setAttribute(k, v));
    document.currentScript = tag;
    const file = join(options.assets || ASSETS, path);
    vm.runInContext(readFileSync(file, "utf-8"), win, { filename: file });
  }
  document.currentScript = null;
  win.settle = async () => {
    while (pending.length) await pending.shift();
  };
  return win;
}
