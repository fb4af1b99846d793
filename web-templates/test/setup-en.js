// The unit tests read the English catalogue, as an English page would hand it to the scripts.
import { readFileSync } from "node:fs";
import { setCatalogue } from "../src/lib/i18n.js";

setCatalogue("en", readFileSync(new URL("../../appliance/locales/en/views.ftl", import.meta.url), "utf8"));
