// Types of shop.mjs, for TypeScript callers (the tests); the JSDoc there is the documentation.
import type { PaymentsHandlerOptions } from 'vk-miniapp-auth/payments';
import type { UserStore } from './store.mjs';

/** An item of the shop. */
export interface ShopItem {
  /** Its name in the purchase box, in Russian and in English. */
  title: { ru: string; en: string };
  /** Its price in votes. */
  price: number;
}

/** The shop's items, by the name the mini app passes to `VKWebAppShowOrderBox`. */
export declare const SHOP_ITEMS: Readonly<Record<string, ShopItem>>;

/** The shop's `getItem` and `orderStatusChange` callbacks, recording orders in `store`. */
export declare function shopPayments(options: {
  store: UserStore;
  now?: () => number;
}): Required<Pick<PaymentsHandlerOptions, 'getItem' | 'orderStatusChange'>>;
