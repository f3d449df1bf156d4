/** The read-model DataSource (the projector's tables; the API only reads them). */
export const READ_MODELS = Symbol('READ_MODELS');
