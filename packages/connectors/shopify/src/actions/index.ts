import type { Action } from '@plugboard/core';
import { curatedAction, type CuratedOptions, type CuratedSpec } from '../graphql/curated-action.js';
import { countCustomers, createCustomer, getAllCustomers, getCustomer, searchCustomers } from './customers.js';
import { getOrder, listOrders } from './orders.js';
import { createProduct, getProduct, listProducts } from './products.js';
import { getShopDetails } from './shop.js';

/** The hand-written actions on GraphQL documents, in the order they are listed. */
export const CURATED_SPECS: readonly CuratedSpec[] = [
  getAllCustomers,
  getCustomer,
  createCustomer,
  searchCustomers,
  countCustomers,
  listOrders,
  getOrder,
  listProducts,
  getProduct,
  createProduct,
  getShopDetails,
] as unknown as readonly CuratedSpec[];

export function curatedActions(options: CuratedOptions): Action[] {
  return CURATED_SPECS.map((spec) => curatedAction(spec, options));
}
