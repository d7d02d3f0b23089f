// The designer imports the volunteer app's modules relative to where both are served
// (/static/admin/designer/ -> /app/js/); in the repository they are in pwa/js/. Importing this
// module registers a resolver that maps the one to the other (for tests and benches in node).
import { register } from "node:module";

const ROOT = new URL("../../", import.meta.url).href;
register(`data:text/javascript,${encodeURIComponent(`
  const ROOT = ${JSON.stringify(ROOT)};
  export async function resolve(specifier, context, next) {
    if (context.parentURL && specifier.startsWith(".")) {
      const url = new URL(specifier, context.parentURL).href;
      const served = ROOT + "server/app/";
      if (url.startsWith(served)) return { url: ROOT + "pwa/" + url.slice(served.length), shortCircuit: true };
    }
    return next(specifier, context);
  }`)}`);
