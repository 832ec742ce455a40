// Moved to host/ so the views can use it without importing a command module. Kept for the
// commands that still import it from here; new code imports '../host/acting'.
export { fhirAs, patientIdOf } from '../host/acting';
