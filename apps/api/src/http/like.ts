export { containsPattern } from '#read-models';
