// The commands other than validate and check, in one module: the CLI imports it when one of them
// runs. Two modules for the two commands CI runs on every push (validate, check) and one for the
// rest keep the bundle's chunks few: each module imported on its own adds the chunks of its share.
export { evidenceCommand } from './evidence.js';
export { gateCommand } from './gate.js';
export { impactCommand } from './impact.js';
export { initCommand } from './init.js';
export { newCommand } from './new.js';
export { releaseCommand } from './release.js';
export { reportCommand } from './report.js';
export { scheduleCommand } from './schedule.js';
export { verifyCommand } from './verify.js';
