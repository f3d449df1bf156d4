// A module resolution hook for main.int.spec.ts: any import of the chain or Hub clients, or of the libs that
// wrap them, fails, so a command that still runs proves it starts without them.
const HEAVY = /\/node_modules\/(@polkadot|@huggingface)\/|\/dist\/libs\/(chain|storage|domain)\//;

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (HEAVY.test(resolved.url)) throw new Error(`refused to load ${resolved.url}`);
  return resolved;
}
