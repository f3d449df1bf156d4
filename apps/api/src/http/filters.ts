export { definedOnly } from '#read-models';
