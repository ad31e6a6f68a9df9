// Copy the page next to the bundle in api/static/graphiql/.
import { copyFileSync, mkdirSync } from "node:fs";

const out = new URL("../../../api/static/graphiql/", import.meta.url);
mkdirSync(out, { recursive: true });
copyFileSync(new URL("../src/index.html", import.meta.url), new URL("index.html", out));
console.log("copied index.html to api/static/graphiql/");
