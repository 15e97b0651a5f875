import type { EffectivePolicy, Level } from '../records/policy.js';

/** The three levels, lowest first. */
export const levels: readonly Level[] = ['low', 'medium', 'high'];

/** Whether a value is one of the levels low, medium, high. */
export function isLevel(value: unknown): value is Level {
  return value === 'low' || value === 'medium' || value === 'high';
}

/** A level's place on the scale (low 0, medium 1, high 2), to compare levels. */
export function levelRank(level: Level): number {
  return levels.indexOf(level);
}

/**
 * The risk level of an assessed risk, looked up in the policy's matrix (likelihood row, impact
 * column); undefined when the risk is missing or not a well-formed {likelihood, impact}.
 */
export function riskLevel(
  policy: Pick<EffectivePolicy, 'riskMatrix'>,
  risk: unknown,
): Level | undefined {
  if (typeof risk !== 'object' || risk === null) return undefined;
  const { likelihood, impact } = risk as { likelihood?: unknown; impact?: unknown };
  if (!isLevel(likelihood) || !isLevel(impact)) return undefined;
  return policy.riskMatrix[likelihood][impact];
}
