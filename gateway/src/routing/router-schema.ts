import { z } from 'zod';
import { strictObject } from '../config/strict-object.js';

export const SELECTION_ORDERS = ['listed', 'cheapest', 'fastest', 'weighted'] as const;
export type SelectionOrder = (typeof SELECTION_ORDERS)[number];

const modelList = z.array(z.string().min(1)).min(1);

const tier = z.union([
  modelList,
  strictObject({
    models: modelList,
    order: z.enum(SELECTION_ORDERS).optional(),
    /** Relative weights for `order: weighted` (model name → weight); unlisted models weigh 1. */
    weights: z.record(z.string(), z.number().positive()).optional(),
  }),
], { error: 'expected a list of models, or {models: [...], order: listed | cheapest | fastest | weighted}' });

const tierName = z.string().regex(/^[a-z0-9_-]+$/i, { message: 'tier names use letters, digits, - and _' });

/** A trained model (`switchyard train-router`) as the router's score, used for requests no rule decides. */
const scoreSchema = strictObject({
  /** The model file, relative to the config file. */
  model: z.string().min(1),
  /** Tier → the lowest score (0..1) that sends a request there; scores below every threshold go to the first tier. */
  thresholds: z.record(tierName, z.number().min(0).max(1)),
});

/** One router: a model name clients ask for that picks a tier by rules and/or a trained score, then a model in the tier. */
export const routerSchema = strictObject({
  description: z.string().optional(),
  /** A rule set: a name in routing-rules/ (`coding-agents`), or a path relative to the config file. */
  rules: z.string().min(1).optional(),
  /** With rules, the score replaces the rule set's default; without, it decides every request. */
  score: scoreSchema.optional(),
  tiers: z.record(tierName, tier),
  /** How tiers without their own `order` pick among their models; `listed` by default. */
  order: z.enum(SELECTION_ORDERS).optional(),
  /** Share of requests (0..0.5) that try another model of the tier so `fastest` estimates stay fresh. */
  explore: z.number().min(0).max(0.5).optional(),
});

/** The `routers:` config section: router name → router. */
export const routersSectionSchema = z.record(z.string().min(1), routerSchema);

export type RouterEntry = z.infer<typeof routerSchema>;
