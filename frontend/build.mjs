// Builds the portal's static assets into frontend/build (ignored by git):
// our SCSS compiled against govuk-frontend, and govuk-frontend's JavaScript.
import { compile, NodePackageImporter } from "sass";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "build");
const govuk = join(here, "..", "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "govuk"), { recursive: true });
mkdirSync(join(out, "images"), { recursive: true });

const css = compile(join(here, "scss", "portal.scss"), {
  importers: [new NodePackageImporter()],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
// The only image govuk-frontend's CSS refers to is GOV.UK's crest (the
// footer's copyright logo). An unbranded service neither shows nor ships it.
const unbranded = css.css.replace(/url\("[^"]*govuk-crest\.svg"\)/g, "none");
if (/url\("[^"]*\/images\//.test(unbranded)) throw new Error("portal.css refers to a govuk-frontend image");
writeFileSync(join(out, "css", "portal.css"), unbranded);
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
copyFileSync(join(here, "js", "portal.js"), join(out, "govuk", "portal.js"));
copyFileSync(join(here, "images", "favicon.svg"), join(out, "images", "favicon.svg"));
console.log(`built ${out}`);
