import { closest } from './wording.js';

/**
 * IANA time zones as the runtime's Intl knows them: whether a policy's zone can be used, and the
 * zone a wrong one most likely means. Intl is part of the language, not IO, so the core may ask.
 */

/** Whether Intl knows the time zone (a typo would otherwise throw deep inside a rule). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

let zones: readonly string[] | undefined;

function knownZones(): readonly string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone')];
  return zones;
}

/**
 * The time zone a wrong name most likely means: a near spelling ("Europe/Berln"), a city
 * without its region ("Berlin", "New York"), or for an offset like UTC+1 the fixed-offset zone
 * (Etc/GMT-1: the sign of the Etc names is inverted). Undefined when nothing is close.
 */
export function suggestTimeZone(name: string): string | undefined {
  if (name.length > 64) return undefined;
  const offset = /^(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::00)?$/i.exec(name.trim());
  if (offset) {
    const hours = Number(offset[2]);
    if (hours === 0) return 'UTC';
    if (hours <= 14) return `Etc/GMT${offset[1] === '+' ? '-' : '+'}${hours}`;
  }
  const all = knownZones();
  const near = closest(name, all);
  if (near !== undefined) return near;
  const city = name.trim().replace(/\s+/g, '_').toLowerCase();
  const cities = all.filter((zone) => zone.slice(zone.lastIndexOf('/') + 1).toLowerCase() === city);
  return cities.length === 1 ? cities[0] : undefined;
}
