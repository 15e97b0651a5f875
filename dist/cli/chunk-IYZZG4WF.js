import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a as e}from"./chunk-MTQYOHZC.js";function i(t){if(t instanceof e){let n=t.message.split(`
`,1)[0].replace(/ - https?:\/\/\S+$/,"").slice(0,200),s=`HTTP ${t.status}: ${n}`;return t.status===401?`${s}; GitHub does not accept the token, check the token input`:s}return t instanceof Error?t.message.slice(0,200):String(t).slice(0,200)}export{i as a};
