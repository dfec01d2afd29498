/** sha256 of the generated COPY bytes of the shop dataset, profile small, seed 42: the same on every target. */
export const SHOP_SMALL_SEED_42_HASH = 'a822fd392483bd2f9ce6c75fe28d19fc010e34ca7f0f6233bdb1438b526ace8c';
