import * as basic from './gen-basic';
import * as realistic from './gen-realistic';
import { countOf, from, sumOf, timestampAfter } from './gen-relational';

/** Column generators for dataset declarations: `gen.id()`, `gen.ref('customers', …)`, `gen.email()`, … */
export const gen = { ...basic, ...realistic, from, timestampAfter, sumOf, countOf };
