import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a as r}from"./chunk-QS66H7VP.js";var e=class extends r{name="SetupError"};export{e as a};
