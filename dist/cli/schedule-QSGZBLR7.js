import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a as T}from"./chunk-ON6OQL7W.js";import{a as p,b as k,c as C,d as S,f as I}from"./chunk-7AGHO5T3.js";import{a as u}from"./chunk-7EMJR7FJ.js";import{a as f}from"./chunk-SQREM24B.js";import{a as h}from"./chunk-T3FDQBJU.js";import"./chunk-A2EJRJOX.js";import{f as l}from"./chunk-HN3ZP6WU.js";import{a as E}from"./chunk-DFM7I7U3.js";import{V as y,g as w}from"./chunk-I6GG6QXW.js";import{g as c,h as m,k as g,m as i}from"./chunk-QS66H7VP.js";import"./chunk-E73Z34MY.js";import{createHash as v}from"node:crypto";async function b(r,o){let t=I(y(r),{...o,...o.ics!==void 0?{calendarStamp:(o.now??new Date).getTime(),calendarRepository:await $(r,o.env??process.env)}:{}}),e={schedule:t.schedule,policyUsable:t.policyUsable,recordErrors:t.recordErrors,unread:t.unread};if(o.ics!==void 0&&t.calendar!==void 0){try{f(o.ics,t.calendar)}catch(s){throw new u(`cannot write the calendar to ${o.ics}: ${s.message}`,{cause:s})}e.ics={path:o.ics,events:t.schedule.entries.length}}return e}var z=/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;async function $(r,o){let t=o.GITHUB_REPOSITORY?.trim(),e=t&&z.test(t)?t:void 0,s="";try{let a=await E(r);if(s=a.prefix.replace(/\/+$/,""),!e){let n=await T(a);n&&(e=`${n.owner}/${n.repo}`)}}catch{}return e?s?`${e}/${s}`:e:`dir-${v("sha256").update(r).digest("hex").slice(0,12)}`}var D=`Usage: changeops schedule [--from DATE] [--to DATE] [--group day|week] [--all] [--ics FILE]
                          [--dir DIR] [--json]

The forward schedule of change: every pending (proposed or approved) change and every release
not yet deployed (planned, testing, approved) that has a schedule, and the policy's freezes, in
time order, grouped by the UTC day (or ISO week) they start on. Each change shows its type,
status, window, CIs and release, and is marked with:
  collisions       another pending change in an overlapping window touches the same CIs (or
                   impacted CIs: the collision rule's scope parameter in changeops.yaml)
  freeze conflicts its window overlaps a freeze that does not allow its type
Marks follow the policy's severity of the collision and freeze rules: ✗ for error, ! for
warning or notice, none when the rule is off. Pending changes without a schedule are listed.

Options:
  --from DATE  show what ends after DATE (default: now), so changes under way are shown
  --to DATE    show what starts before DATE (default: no end)
               DATE is a date (2027-02-01, UTC) or an RFC 3339 date-time with a zone
               (2027-02-01T08:00:00+01:00); a date alone means the start of that day for
               --from and the end of it for --to, so --to 2027-02-28 includes 28 February
  --group G    day (default) or week (ISO weeks, Monday to Sunday)
  --all        also changes and releases of any other status (drafts, finished, cancelled);
               only pending changes are marked, as changeops check judges only those
  --ics FILE   also write the schedule as an iCalendar file (RFC 5545; FILE relative to the
               current directory): one event per change, release and freeze, with a UID that
               names the record and the repository (CHG-0042@acme/shop.changeops: from
               GITHUB_REPOSITORY or the origin remote, else a digest of DIR), so a calendar that
               imports it again updates the events in place and two repositories' events never
               overwrite each other; the schedule is still printed on stdout, and a confirmation
               line goes to stderr
  --dir DIR    the repository root (default: the current directory)
  --json       print {"ok", "from", "to", "entries": [...], "unscheduled", "collisions",
               "freezeConflicts", "policyUsable"}, times as RFC 3339 UTC
               (schemas/output/schedule.schema.json)

Notes go to stderr: records with errors (the schedule may miss some), and YAML that looks like
records where changeops does not read it (Changes/, a change file at the root).

Exit codes: 0 nothing shown collides or breaks a freeze at error severity, 1 a change shown
has such a collision or freeze conflict (so a scheduled job can alert on it), 2 a bad date or
option, DIR holds no changeops.yaml, changes/ or cmdb/, or changeops.yaml cannot be used (the
freezes and rule settings are then unknown: the schedule is still printed, unmarked, and says
so instead of "no freeze conflicts").`,U={from:{type:"string"},to:{type:"string"},group:{type:"string"},all:{type:"boolean",default:!1},ics:{type:"string"}},Z={help:D,options:U,run:({values:r,positionals:o,dir:t},e)=>{if(o.length>0)throw new i(`schedule takes no arguments, not ${o.join(" ")}`);let s=r.group??"day";if(s!=="day"&&s!=="week")throw new i(`--group is ${w(s)}; use day or week`);let a=new Date,n=typeof r.from=="string"?h("--from",r.from,"start"):a.getTime(),d=typeof r.to=="string"?h("--to",r.to,"end"):null;if(d!==null&&d<=n)throw new i(`--to (${l(d)}) is not after --from (${l(n)})`);if(r.ics==="")throw new i("--ics needs a file name");return R({dir:t,from:n,to:d,all:r.all===!0,group:s,json:r.json===!0,now:a,...typeof r.ics=="string"?{ics:r.ics}:{}},e)}};async function R(r,o){let t=await b(r.dir,r);t.policyUsable?t.recordErrors>0&&o.err(`note: the records have ${t.recordErrors} error${t.recordErrors===1?"":"s"}, so the schedule may be incomplete (run changeops validate)`):o.err("note: changeops.yaml cannot be used, so its freezes and rule settings are unknown (run changeops validate)");for(let e of t.unread)o.err(`note: ${m(e)}`);if(r.json?g(o,x(t.schedule)):o.out(S(t.schedule,{group:r.group}).trimEnd()),t.ics){let e=t.ics.events;o.err(`wrote ${e} event${e===1?"":"s"} to ${t.ics.path}`)}return t.policyUsable?p(t.schedule)?c.failed:c.ok:c.usage}function x(r){let o=l,t=r.entries.map(e=>e.kind==="freeze"?{kind:e.kind,name:e.name,start:o(e.start),end:o(e.end),allow:e.allow}:e.kind==="release"?{kind:e.kind,id:e.id,title:e.title,type:e.type,status:e.status,start:o(e.start),end:o(e.end),version:e.version??null,changes:e.changes}:{kind:e.kind,id:e.id,title:e.title,type:e.type,status:e.status,start:o(e.start),end:o(e.end),cis:e.cis,release:e.release??null,requester:e.requester??null,reason:e.reason??null,collisions:e.collisions.map(s=>({...s,start:o(s.start),end:o(s.end)})),freezeConflicts:e.freezeConflicts.map(s=>({...s,start:o(s.start),end:o(s.end)}))});return{ok:r.policyUsable&&!p(r),from:o(r.from),to:r.to===null?null:o(r.to),entries:t,unscheduled:r.unscheduled,collisions:k(r),freezeConflicts:C(r),policyUsable:r.policyUsable}}export{R as runSchedule,Z as scheduleCommand,D as scheduleHelp,U as scheduleOptions};
