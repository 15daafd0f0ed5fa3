/** The pipeline's roles, in the order a task meets them; the names travel in `x-switchyard-role`. */
export const ROLES = ['planner', 'plan_reviewer', 'coder', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

export const RISKS = ['low', 'medium', 'high'] as const;
export type Risk = (typeof RISKS)[number];

/** Temperatures that suit each role: some freedom to plan, little to code, none to judge. */
export const DEFAULT_TEMPERATURE: Readonly<Record<Role, number>> = {
  planner: 0.5,
  plan_reviewer: 0.1,
  coder: 0.2,
  reviewer: 0.1,
};
