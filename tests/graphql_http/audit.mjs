// Run graphql-http's server audits (GraphQL over HTTP spec) against a served eskg app and
// print every result as JSON: node audit.mjs http://127.0.0.1:PORT/graphql
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs <graphql url>");
  process.exit(2);
}
const results = await auditServer({ url });
const out = [];
for (const r of results) {
  const entry = { id: r.id, name: r.name, status: r.status };
  if (r.status !== "ok") {
    entry.reason = r.reason;
    entry.httpStatus = r.response.status;
    entry.contentType = r.response.headers.get("content-type");
  }
  out.push(entry);
}
console.log(JSON.stringify(out, null, 1));
