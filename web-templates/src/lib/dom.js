// DOM helpers for the views (browser only).
import { COUNTRIES } from "whereflow:countries";
import { localCountry } from "./i18n.js";

export const SVG_NS = "http://www.w3.org/2000/svg";

/** The name of an ISO 3166 alpha-2 code in the page's language ("GB" -> "United Kingdom",
 * "Royaume-Uni"), English when the page gave none. */
export function countryName(code) {
  if (!code) return null;
  const upper = String(code).toUpperCase();
  const c = COUNTRIES[upper];
  return localCountry(upper) || (c ? c[1] : code);
}

/** ISO numeric id (as world-atlas uses it) of an alpha-2 code. */
export function countryNumeric(code) {
  const c = code && COUNTRIES[String(code).toUpperCase()];
  return c ? c[0] : null;
}

/** Element by id, or throw (a template and its script disagree: a bug to see at once). */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el;
}

/** Create an element with attributes and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/**
 * `fill(el, make())` unless `key` (a string saying what `make` would put there) is what the
 * last call for `el` had: live views redraw several times a second, and an unchanged list
 * rewritten costs a phone a layout of the page.
 */
export function fillChanged(el, key, make) {
  if (el.wfFilled === key) return;
  el.wfFilled = key;
  fill(el, make());
}

/** Query-string parameter, or the default. */
export function param(name, fallback = null) {
  const v = new URLSearchParams(window.location.search).get(name);
  return v === null || v === "" ? fallback : v;
}

/** Put the view's state in the address bar (no reload), so a link or reload keeps it. */
export function setParams(values) {
  const u = new URL(window.location.href);
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined || v === "") u.searchParams.delete(k);
    else u.searchParams.set(k, v);
  }
  window.history.replaceState(null, "", u);
}

/** The view's time-window buttons (links that work without JS; JS keeps the page). */
export function windowButtons(container, current, onChange) {
  const set = (w) => {
    for (const a of container.querySelectorAll("[data-window]")) {
      a.setAttribute("aria-pressed", String(a.dataset.window === w));
      if (a.dataset.window === w) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    }
  };
  set(current);
  container.addEventListener("click", (e) => {
    const a = e.target.closest("[data-window]");
    if (!a) return;
    e.preventDefault();
    set(a.dataset.window);
    onChange(a.dataset.window);
  });
}

/** Category id -> {label, explain, tracking} from the page's embedded JSON. */
export function categories() {
  const el = document.getElementById("categories-data");
  const list = el ? JSON.parse(el.textContent || "[]") : [];
  return new Map(list.map((c) => [c.id, c]));
}

export const REDUCED_MOTION =
  typeof window !== "undefined" && window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
