import { isLevel, type Level } from '../records/level.js';
import type { EffectivePolicy } from '../records/policy.js';

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
