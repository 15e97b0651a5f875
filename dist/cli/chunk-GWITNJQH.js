import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var e="0.1.0";export{e as a};
