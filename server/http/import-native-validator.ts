import Ajv from 'ajv';
import { NATIVE_EXPORT_SCHEMA } from '../../schema/index.ts';
import type { NativeSchemaValidator } from '../../schema/index.ts';

let compiled: NativeSchemaValidator | null = null;

/**
 * The native format's JSON Schema, compiled once with Ajv (draft-07) on the server, where
 * generated code may run. Returns at most `maxProblems` problems, each with its JSON Pointer.
 */
export function nativeSchemaValidator(maxProblems = 50): NativeSchemaValidator {
  if (compiled) return compiled;
  const validate = new Ajv({ allErrors: true }).compile(NATIVE_EXPORT_SCHEMA);
  compiled = (doc) => {
    if (validate(doc)) return [];
    return (validate.errors ?? []).slice(0, maxProblems).map((e) => {
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      return { path: e.instancePath, message: `${e.message ?? e.keyword}${extra ? ` (${extra})` : ''}` };
    });
  };
  return compiled;
}
