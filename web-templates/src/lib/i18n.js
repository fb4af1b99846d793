// The words of the views in the page's language. The page (base.html) carries its language's
// catalogue (appliance/locales/<lang>/views.ftl, the same file the server reads) and country
// names as JSON; @fluent/bundle formats the messages (plurals, numbers). A message the
// catalogue lacks shows as ⟦id⟧, which the browser test looks for.
import { FluentBundle, FluentResource } from "@fluent/bundle";

let lang = "en";
let bundle = new FluentBundle("en", { useIsolating: false });
let countries = {};

/** Use `ftl` (a views.ftl source) in `code`, with `names` (alpha-2 -> country name). */
export function setCatalogue(code, ftl, names = {}) {
  lang = code || "en";
  bundle = new FluentBundle(intlLocale(), { useIsolating: false });
  const errors = bundle.addResource(new FluentResource(String(ftl || "")));
  if (errors.length) console.warn("views catalogue:", errors);
  countries = names || {};
}

if (typeof document !== "undefined") {
  const el = document.getElementById("i18n-data");
  try {
    const data = el ? JSON.parse(el.textContent) : {};
    setCatalogue(data.lang, data.ftl, data.countries);
  } catch (e) {
    console.warn("no catalogue on this page:", e);
  }
}

/** The browser's offset from UTC now, in minutes east (Berlin in winter: 60). */
export function utcOffsetMinutes() {
  return -new Date().getTimezoneOffset();
}

// The server writes some times into pages (the admin page, the take-home page, pages read
// without script): it learns the reader's clock from this cookie (`i18n::Clock`).
if (typeof document !== "undefined") {
  document.cookie = `wf_tz=${utcOffsetMinutes()}; path=/; max-age=86400; samesite=lax`;
}

/** The page's language code (`<html lang>`, the requests' `Accept-Language`). */
export function language() {
  return lang;
}

/** The locale numbers and times are formatted in: the page's language, with Western digits
 * in Arabic (as the server writes them: one kind of digit on a page). */
export function intlLocale() {
  return lang === "ar" ? "ar-u-nu-latn" : lang;
}

/** The message `id` with `args`, or ⟦id⟧. */
export function t(id, args) {
  const m = bundle.getMessage(id);
  if (!m || !m.value) return `⟦${id}⟧`;
  const errors = [];
  const out = bundle.formatPattern(m.value, args, errors);
  if (errors.length) console.warn(id, errors);
  return out;
}

/** The attribute `attr` of message `id` (`animal-owl.gender`), or ⟦id.attr⟧. */
export function tAttr(id, attr) {
  const m = bundle.getMessage(id);
  const a = m && m.attributes && m.attributes[attr];
  if (!a) return `⟦${id}.${attr}⟧`;
  const errors = [];
  const out = bundle.formatPattern(a, {}, errors);
  if (errors.length) console.warn(id, attr, errors);
  return out;
}

/** A pseudonym's words (`{id: "pseudonym", args: {colour: "blue", animal: "otter"}}`) in
 * the page's language: the animal and its gender, the colour in that gender, both in the
 * language's order, all chosen by the catalogue (as `say_words` in devices/pseudonym.rs). */
export function pseudonymName(words) {
  const a = (words && words.args) || {};
  const animal = `animal-${a.animal}`;
  const colour = t(`colour-${a.colour}`, { gender: tAttr(animal, "gender") });
  return t(words.id, { colour, animal: t(animal), round: a.round || "" });
}

/** A country's name in the page's language, if the page gave one. */
export function localCountry(code) {
  return countries[code] || null;
}
