// The text of scenario.schema.json: the TypeScript schema (src/schema/jsonSchema/) as JSON, formatted the
// way the repository's prettier config formats JSON, so `prettier --check` and the freshness test agree.
import { format, resolveConfig } from 'prettier';
import { scenarioSchema } from '../src/schema/jsonSchema/scenario.js';

/** Where the generated file lives. */
export const SCHEMA_FILE = new URL('./scenario.schema.json', import.meta.url);

export async function renderSchemaFile(): Promise<string> {
  const config = (await resolveConfig(SCHEMA_FILE)) ?? {};
  return format(JSON.stringify(scenarioSchema, null, 2), { ...config, parser: 'json' });
}
