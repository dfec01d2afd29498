import { passesLuhn } from './synthetic-rules';

/**
 * Issuer identification number ranges of the card networks (ISO/IEC 7812 prefixes as the networks publish
 * them), with the lengths each issues. A Luhn-valid number outside every range is not a payment card.
 */
const ISSUERS: { network: string; ranges: [number, number][]; prefixLength: number; lengths: number[] }[] = [
  {
    network: 'amex',
    prefixLength: 2,
    ranges: [
      [34, 34],
      [37, 37],
    ],
    lengths: [15],
  },
  {
    network: 'diners',
    prefixLength: 2,
    ranges: [
      [36, 36],
      [38, 39],
    ],
    lengths: [14, 15, 16, 17, 18, 19],
  },
  { network: 'diners', prefixLength: 3, ranges: [[300, 305]], lengths: [14, 15, 16, 17, 18, 19] },
  { network: 'jcb', prefixLength: 4, ranges: [[3528, 3589]], lengths: [16, 17, 18, 19] },
  { network: 'visa', prefixLength: 1, ranges: [[4, 4]], lengths: [13, 16, 19] },
  { network: 'mastercard', prefixLength: 2, ranges: [[51, 55]], lengths: [16] },
  { network: 'mastercard', prefixLength: 4, ranges: [[2221, 2720]], lengths: [16] },
  { network: 'mir', prefixLength: 4, ranges: [[2200, 2204]], lengths: [16, 17, 18, 19] },
  { network: 'discover', prefixLength: 4, ranges: [[6011, 6011]], lengths: [16, 17, 18, 19] },
  { network: 'discover', prefixLength: 3, ranges: [[644, 649]], lengths: [16, 17, 18, 19] },
  { network: 'discover', prefixLength: 2, ranges: [[65, 65]], lengths: [16, 17, 18, 19] },
  {
    network: 'unionpay',
    prefixLength: 2,
    ranges: [
      [62, 62],
      [81, 81],
    ],
    lengths: [16, 17, 18, 19],
  },
  {
    network: 'maestro',
    prefixLength: 2,
    ranges: [
      [50, 50],
      [56, 58],
      [60, 69],
    ],
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
];

/**
 * Test card numbers that the networks and payment providers document for test systems (Stripe, Adyen,
 * Braintree, PayPal): they pass Luhn and sit in real ranges, and are made up all the same.
 */
export const TEST_CARD_NUMBERS: ReadonlySet<string> = new Set([
  '4242424242424242',
  '4000056655665556',
  '4111111111111111',
  '4012888888881881',
  '4222222222222',
  '4000000000000002',
  '4000000000000077',
  '4000000000000069',
  '4000000000000119',
  '4000000000003220',
  '4000002500003155',
  '4000000000009995',
  '4000000760000002',
  '4000001240000000',
  '4917610000000000',
  '5555555555554444',
  '2223003122003222',
  '5200828282828210',
  '5105105105105100',
  '5454545454545454',
  '2222400070000005',
  '5101180000000007',
  '378282246310005',
  '371449635398431',
  '378734493671000',
  '370000000000002',
  '6011111111111117',
  '6011000990139424',
  '6011981111111113',
  '6011000400000000',
  '3056930009020004',
  '36227206271667',
  '30569309025904',
  '38520000023237',
  '36006666333344',
  '3566002020360505',
  '3530111333300000',
  '3566111111111113',
  '6200000000000005',
  '6200000000000047',
  '6205500000000000004',
  '6759649826438453',
  '6799990100000000019',
  '5019717010103742',
]);

/** The network whose range holds a number of this length, if any. */
export function issuerOf(digits: string): string | undefined {
  for (const issuer of ISSUERS) {
    if (!issuer.lengths.includes(digits.length)) continue;
    const prefix = Number(digits.slice(0, issuer.prefixLength));
    if (issuer.ranges.some(([lo, hi]) => prefix >= lo && prefix <= hi)) return issuer.network;
  }
  return undefined;
}

/**
 * Card numbers that look real: 12-19 digits (spaces or dashes between groups) not part of a longer digit run,
 * passing Luhn, in a network's range, and not a documented test number.
 */
export function findRealCardNumbers(text: string): { match: string; network: string }[] {
  const found: { match: string; network: string }[] = [];
  for (const m of text.matchAll(/(?<![0-9])\d(?:[ -]?\d){11,18}(?![0-9])/g)) {
    const digits = m[0].replace(/\D/g, '');
    if (!passesLuhn(digits) || TEST_CARD_NUMBERS.has(digits)) continue;
    const network = issuerOf(digits);
    if (network) found.push({ match: m[0], network });
  }
  return found;
}
