// Pseudonyms said by the scripts as the server says them: the catalogue chooses the words,
// their order and the colour's agreement with the animal's gender.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { setCatalogue } from "../src/lib/i18n.js";
import { deviceLabel, deviceName } from "../src/lib/format.js";

const views = (lang) => readFileSync(new URL(`../../appliance/locales/${lang}/views.ftl`, import.meta.url), "utf8");
const words = (colour, animal, round) => ({
  id: round ? "pseudonym-numbered" : "pseudonym",
  args: round ? { colour, animal, round: String(round) } : { colour, animal },
});

test("a pseudonym agrees in each language, and keeps its round", () => {
  const cases = {
    en: ["Blue Otter", "Blue Owl", "Red Bee", "Gold Camel 2"],
    de: ["Blauer Otter", "Blaue Eule", "Rote Biene", "Goldenes Kamel 2"],
    fr: ["Loutre bleue", "Chouette bleue", "Abeille rouge", "Chameau doré 2"],
    es: ["Nutria azul", "Búho azul", "Abeja roja", "Camello dorado 2"],
    ar: ["قضاعة زرقاء", "بومة زرقاء", "نحلة حمراء", "جمل ذهبي 2"],
  };
  for (const [lang, want] of Object.entries(cases)) {
    setCatalogue(lang, views(lang));
    const said = [
      deviceName("Blue Otter", words("blue", "otter")),
      deviceName("Blue Owl", words("blue", "owl")),
      deviceName("Red Bee", words("red", "bee")),
      deviceName("Gold Camel 2", words("gold", "camel", 2)),
    ];
    assert.deepEqual(said, want, lang);
  }
  setCatalogue("de", views("de"));
  // The group views' label: the emoji stays.
  assert.equal(deviceLabel({ name: "Blue Otter", name_words: words("blue", "otter"), emoji: "🦦" }), "🦦 Blauer Otter");
  // A nickname has no words: shown as it is.
  assert.equal(deviceName("Anas Handy", null), "Anas Handy");
  setCatalogue("en", views("en"));
});
