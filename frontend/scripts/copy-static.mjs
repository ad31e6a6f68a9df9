// Copy the page and its stylesheet next to the bundle in api/static/explorer/.
import { copyFileSync, mkdirSync } from "node:fs";

const out = new URL("../../api/static/explorer/", import.meta.url);
mkdirSync(out, { recursive: true });
for (const name of ["index.html", "explorer.css"]) {
  copyFileSync(new URL(`../src/${name}`, import.meta.url), new URL(name, out));
}
console.log("copied index.html, explorer.css to api/static/explorer/");
