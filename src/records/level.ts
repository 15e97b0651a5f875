/** A three-step level, lowest first: risk, likelihood, impact and the impact the CMDB gives. */
export type Level = 'low' | 'medium' | 'high';

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

/** The higher of two levels; `undefined` counts as below low. */
export function higherLevel(a: Level | undefined, b: Level | undefined): Level | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return levelRank(b) > levelRank(a) ? b : a;
}
