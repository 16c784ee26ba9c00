// The one door for importing a module by a computed specifier (plugins, tsx). The `flow` binary runs
// the CLI bundle through vm.Script (for V8's code cache), where `import()` cannot work without an
// experimental flag; it hands in an importer of its own, registered under this symbol.
// On Node 22.1+ module.enableCompileCache() replaces that loader, and this becomes a plain import().
const importerKey = Symbol.for('flow.import');

type Importer = (specifier: string) => Promise<Record<string, unknown>>;

export function importDynamic(specifier: string): Promise<Record<string, unknown>> {
  const importer = (globalThis as { [importerKey]?: Importer })[importerKey];
  return importer ? importer(specifier) : (import(specifier) as Promise<Record<string, unknown>>);
}
