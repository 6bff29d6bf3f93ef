/**
 * The `pg` module, imported on first use: it is an optional peer dependency, needed only by the
 * PostgreSQL store and bus, so that the rest of `@confab/server` never loads it.
 */
export async function loadPg(): Promise<typeof import('pg')> {
  try {
    const module = (await import('pg')) as typeof import('pg') & { default?: typeof import('pg') };
    // pg is CommonJS: under ESM its exports arrive as `default`.
    return module.default ?? module;
  } catch (error) {
    throw new Error('PostgreSQL stores and buses need the `pg` package: npm install pg', {
      cause: error,
    });
  }
}
