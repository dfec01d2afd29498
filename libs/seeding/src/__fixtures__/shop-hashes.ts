/** sha256 of the generated COPY bytes of the shop dataset, profile small, seed 42: the same on every target. */
export const SHOP_SMALL_SEED_42_HASH = 'e6ca491d0d81e373e8b92393fa3a544f8bb676b4e489b04de4f72bc7993b4976';
