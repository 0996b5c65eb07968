// Writes scenario.schema.json from the TypeScript source of the schema (src/schema/jsonSchema/), the one
// source of truth. Run from the repository root:
//   pnpm ts packages/scenarios/schema/generate.ts
// src/schema/jsonSchema/jsonSchema.test.ts fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { renderSchemaFile, SCHEMA_FILE } from './render.js';

writeFileSync(SCHEMA_FILE, await renderSchemaFile());
