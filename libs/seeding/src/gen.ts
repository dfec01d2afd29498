import * as basic from './gen-basic';
import * as realistic from './gen-realistic';

/** Column generators for dataset declarations: `gen.id()`, `gen.ref('customers', …)`, `gen.email()`, … */
export const gen = { ...basic, ...realistic };
