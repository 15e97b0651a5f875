import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import common from '../../schemas/common.schema.json' with { type: 'json' };
import configurationItem from '../../schemas/configuration-item.schema.json' with { type: 'json' };
import change from '../../schemas/change.schema.json' with { type: 'json' };
import release from '../../schemas/release.schema.json' with { type: 'json' };
import policy from '../../schemas/policy.schema.json' with { type: 'json' };
import type { RecordKind } from './finding.js';

/** The JSON Schema of each record kind, as shipped in schemas/. */
export const schemasByKind: Readonly<Record<RecordKind, object>> = {
  ConfigurationItem: configurationItem,
  Change: change,
  Release: release,
  Policy: policy,
};

// ajv-formats is CommonJS with a default export; under NodeNext it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv, formats: string[]) => Ajv;

let validators: Record<RecordKind, ValidateFunction> | undefined;

/** The compiled validator of each kind: compiled once, on first use, keeping every error. */
function compiled(): Record<RecordKind, ValidateFunction> {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, schemas: [common] });
    addFormats(ajv, ['date-time']);
    validators = {
      ConfigurationItem: ajv.compile(configurationItem),
      Change: ajv.compile(change),
      Release: ajv.compile(release),
      Policy: ajv.compile(policy),
    };
  }
  return validators;
}

/** Validates one record against its kind's schema; an empty list means valid. */
export function schemaErrors(kind: RecordKind, data: unknown): ErrorObject[] {
  const validate = compiled()[kind];
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
