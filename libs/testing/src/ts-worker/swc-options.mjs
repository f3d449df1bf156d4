// How the TypeScript sources run untranspiled (jest's @swc/jest and the worker threads' loader, hooks.mjs): types
// stripped, decorator metadata kept so Nest DI works as in the compiled apps.
export const SWC_OPTIONS = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};
