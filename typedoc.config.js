// TypeDoc options (a module rather than JSON for markdownItLoader, a function).
/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: 'ledgerline',
  entryPoints: ['src/index.ts', 'mock/index.ts', 'mock/matchers.ts', 'src/validate/index.ts'],
  out: 'docs/api',
  tsconfig: 'tsconfig.json',
  readme: 'README.md',
  projectDocuments: ['docs/*.md'],
  treatWarningsAsErrors: true,
  excludePrivate: true,
  excludeInternal: true,
  includeVersion: true,
  sort: ['kind', 'instance-first', 'alphabetical-ignoring-documents'],
  validation: {
    notExported: true,
    invalidLink: true,
    rewrittenLink: true,
    notDocumented: true,
    unusedMergeModuleWith: true,
  },
  requiredToBeDocumented: [
    'Enum',
    'EnumMember',
    'Variable',
    'Function',
    'Class',
    'Interface',
    'TypeAlias',
    'Method',
    'Accessor',
  ],
  intentionallyNotExported: ['JsonOf', 'FaultRegistry', 'IdempotencyStore', 'AssetRegistry'],
  disableSources: true,
  // TypeDoc's default languages, and those the guides' examples use besides (a Python client, an
  // nginx configuration).
  highlightLanguages: [
    'bash',
    'console',
    'css',
    'html',
    'javascript',
    'json',
    'jsonc',
    'json5',
    'tsx',
    'typescript',
    'python',
    'nginx',
  ],
  skipErrorChecking: true,
  intentionallyNotDocumented: ['ledgerline.components', 'ledgerline.operations', 'ledgerline.paths'],
  // linkify-it reads bare names such as decisions.md as web addresses (.md is a country domain) and
  // links them to http://decisions.md; only addresses with a scheme (https://...) become links.
  markdownItLoader(parser) {
    parser.linkify.set({ fuzzyLink: false });
  },
};
