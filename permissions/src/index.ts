// @patchline/permissions: who may do what, as CASL abilities. No I/O, browser + Node.

export * from './actions.js';
export * from './app-ability.js';
export * from './authorize-update.js';
export * from './define-ability-for.js';
export * from './fields.js';
export * from './fields-touched-by.js';
export * from './grant-rules.js';
export * from './inspect-transaction.js';
export * from './role-rules.js';
export * from './roles.js';
export * from './subjects.js';
export * from './update-errors.js';
export * from './update-shape.js';
