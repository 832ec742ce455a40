import * as assert from 'node:assert/strict';
import { ApiError, AuthError, CancelledError, InputError, NetworkError } from '../../../src/core/errors';
import { errorForModel } from '../../../src/core/tools/errors';

describe('errors answered to the model', () => {
  it('say what failed and what to try for each kind of failure', () => {
    assert.equal(errorForModel(new InputError('"Foo" is not a FHIR R4 resource type.'), 'searching FHIR resources'),
      'Error: searching FHIR resources was not possible with these arguments: "Foo" is not a FHIR R4 resource type. Fix the arguments and call the tool again.');
    assert.match(errorForModel(new ApiError(404, 'GET', '/fhir/r4/Patient/x', 'Resource Patient/x is not known'), 'reading a FHIR resource'),
      /^Error: reading a FHIR resource failed: GET \/fhir\/r4\/Patient\/x answered HTTP 404: Resource Patient\/x is not known\. Nothing is there: check the resource type and id/);
    assert.match(errorForModel(new ApiError(429, 'GET', '/user-management/v1/user', 'Too many requests', [], 30), 'listing app users'), /wait 30 s before trying again/);
    assert.match(errorForModel(new AuthError('missing-credentials', 'No credentials for 1upHealth.'), 'listing app users'), /Set Credentials….*do not retry before that/);
    assert.match(errorForModel(new NetworkError('ECONNREFUSED', 'Could not connect to api.example.test.', 'Is the server running?'), 'x'), /could not be reached\. Could not connect to api\.example\.test\. Is the server running\?/);
    assert.equal(errorForModel(new CancelledError(), 'summarizing a patient record'), 'Cancelled: summarizing a patient record was stopped before it finished. Nothing more was done.');
  });

  it('lists OperationOutcome issues the message does not already say', () => {
    const e = new ApiError(400, 'GET', '/fhir/r4/Observation', 'Invalid search', [{ severity: 'error', text: 'Unknown parameter "foo"' }]);
    assert.match(errorForModel(e, 'searching'), /HTTP 400: Invalid search Unknown parameter "foo"\. The server refused the request as sent/);
  });

  it('never carries a stack: an unexpected error is answered by its first line', () => {
    const e = new Error("Cannot find module '/x/dist/lazy/api.js'\nRequire stack:\n- /x/dist/extension.js");
    const text = errorForModel(e, 'starting a bulk export');
    assert.equal(text, "Error: starting a bulk export failed unexpectedly: Cannot find module '/x/dist/lazy/api.js'. The extension's log (“1upHealth: Show Log”) has the details.");
    assert.doesNotMatch(text, /\n|Require stack|\bat /);
  });
});
