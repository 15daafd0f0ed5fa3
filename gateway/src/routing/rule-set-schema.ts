import { z } from 'zod';
import { strictObject } from '../config/strict-object.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, { message: 'use letters, digits, - and _ (e.g. title-generation)' });
const tier = z.string().min(1);
const reason = z.string().min(1);

/** A rule set file (`routing-rules/*.yaml`). `when` is checked by compile-condition.ts, which knows the signals. */
export const ruleSetSchema = strictObject({
  description: z.string().optional(),
  rules: z.array(strictObject({ id, when: z.unknown(), tier, reason })).default([]),
  default: strictObject({ tier, reason }),
});

export type RuleSetFile = z.infer<typeof ruleSetSchema>;
