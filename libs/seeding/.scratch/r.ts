import { findPhones } from '../src/synthetic-rules';
console.log(findPhones('call 020 7123 4567 or (212) 555-0142 on 2024-03-05 10:22, total 1234.50'));
