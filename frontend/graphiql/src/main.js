// GraphiQL for eskg, bundled with its dependencies (no CDN): served at /graphql to browsers.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/graphiql.css";
import { createElement } from "react";
import { createRoot } from "react-dom/client";

const DEFAULT_QUERY = `# eskg: Japan's economic-security policy graph. Ctrl-Space completes,
# the book icon (top left) opens the schema's documentation.
{
  search(text: "永久磁石", limit: 3) {
    id
    label(lang: "ja")
    types
  }
}
`;

// Same origin as the page: /graphql answers GET (the page) and POST (queries).
const fetcher = createGraphiQLFetcher({ url: new URL("/graphql", window.location.href).href });

createRoot(document.getElementById("graphiql")).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery: DEFAULT_QUERY,
    // GraphiQL asks for deprecated arguments too (inputValueDeprecation); the server
    // exempts introspection from its cost limits, so the docs and completion are whole.
    inputValueDeprecation: true,
    shouldPersistHeaders: false,
  }),
);
