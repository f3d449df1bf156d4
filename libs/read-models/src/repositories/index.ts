export * from './competitions.repository.js';
export * from './jobs.repository.js';
export * from './not-found.js';
export * from './page.js';
export * from './results.repository.js';
export * from './sql.js';
export * from './submissions.repository.js';
export * from './validators.repository.js';
