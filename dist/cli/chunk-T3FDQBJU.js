import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{e as n}from"./chunk-HN3ZP6WU.js";import{g as o}from"./chunk-I6GG6QXW.js";import{m as e}from"./chunk-QS66H7VP.js";function f(i,r,a){let t=n(r,a);if(t!==void 0)return t;throw new e(`${i} ${o(r)} is not a date like 2027-02-01 or a date and time with a zone like 2027-02-01T08:00:00Z`)}export{f as a};
