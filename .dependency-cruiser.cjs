// Import rules of docs/architecture.md, checked by test/architecture/import-rules.test.ts.
// Paths are relative to the folder that is cruised (the repository root).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      comment: 'A runtime import cycle makes load order matter; type-only imports vanish at build time and may loop.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'core-not-above',
      comment: 'The core (everything but admin/, cli/, demo/ and main.ts) never imports the surfaces that sit on it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(admin|cli|demo)/|^src/(main|app|composition)\\.ts$' },
      to: { path: '^src/(admin|cli|demo)/|^src/(main|app|composition)\\.ts$' },
    },
    {
      name: 'admin-not-cli',
      comment: 'The admin API and console do not depend on the command line, nor on the demo.',
      severity: 'error',
      from: { path: '^src/admin/' },
      to: { path: '^src/(cli|demo)/|^src/main\\.ts$' },
    },
    {
      name: 'only-main-composes',
      comment: 'Only the composition root (and the CLI that starts it) imports main.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|demo)/' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'config-reads-env',
      comment: 'src/config.ts is the one module that reads process.env; nothing in src imports dotenv-like loaders.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(dotenv)' },
    },
    {
      name: 'database-in-stores-only',
      comment: 'Only stores and src/db touch the database client (the oidc adapters go through oidc/oidc-object-store.ts).',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: '^src/(generated/|db/|main\\.ts$|[a-z-]+/[a-z-]*store\\.ts$|security/(security-events|audit-log)\\.ts$)',
      },
      // Types (a Database handle passed through) are fine; calls are not.
      to: { path: '^src/generated/|^src/db/database\\.ts$|^(node_modules/)?(@prisma/client|pg|@electric-sql/pglite|pglite-prisma-adapter|@prisma/adapter-pg)(/|$)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'resolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
