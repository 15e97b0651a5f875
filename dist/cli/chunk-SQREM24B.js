import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{statSync as r,writeFileSync as e}from"node:fs";function o(t,i){e(t,i)}function c(t){try{return r(t).isDirectory()}catch{return!1}}function s(t){try{return r(t).isFile()}catch{return!1}}export{o as a,c as b,s as c};
