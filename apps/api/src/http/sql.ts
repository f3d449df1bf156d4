export { tableOf } from '#read-models';
