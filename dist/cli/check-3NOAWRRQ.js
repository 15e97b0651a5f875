import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{K as M,T as G,U as J,V as z,i as A,s as L,v as U,w as W,x as H}from"./chunk-ORZDQYR2.js";import{Ea as j,Fa as O,Ia as D,Ja as P,Ka as E,L as B,La as I,P as T}from"./chunk-VA6LTKLW.js";import{e as l,g as m,h as w,i as x,j as g,k as S}from"./chunk-N3BEXX3M.js";import"./chunk-E73Z34MY.js";function N(e){let t=e.branchHistory,s=t?U(e,L):void 0,a=W(e,s?{judged:s}:{}),i=t&&s?M({...s,sources:e.workspace.sources},t,a.releases,e.now):void 0,r;return{outcome:a,outputs:()=>r??=H(a),...i?{readiness:i}:{}}}async function Z(e){let{base:t,root:s}=e,a=e.now??new Date,i,r=e.workingTree===!1,d=e.cache!==!1,u=t===void 0||r?void 0:Y(s),o=d&&!r,h,f=o&&t!==void 0?new Promise(n=>h=n):void 0,p,y,C=t===void 0?void 0:G(s,t,{...e.fetch!==void 0?{fetch:e.fetch}:{},...e.workingTree!==void 0?{workingTree:e.workingTree}:{},...u?{status:u.ask}:{},...d?{whileDiffing:n=>{y=T(s,n),p?.readAhead()}}:{},...h?{guess:n=>h({facts:n})}:{},maxFileBytes(n){return i=I(n),i.policy.limits.maxFileBytes}});if(h){let n=h;C.then(()=>n(void 0),()=>n(void 0))}d&&(p=E(s,r,u?.status));let R=n=>{let c=i?.policy.limits;return{...c?{limits:c}:{},...p?{started:p}:{},...d?{}:{cache:!1},...n?{origin:{commit:n.mergeBase,changed:n.changedFiles,...y?{trees:y}:{}}}:{},...r?{committed:r}:{},...n?.policyFile?{policyText:n.policyFile.text}:{}}},v=async(n,c,X)=>{let b={workspace:c,now:a};return n&&i&&(b.base={...n,policy:i},j(c.estate,O(n.changedFiles)).releases.length>0&&(b.branchHistory=(await J(s,{branch:{ref:n.sha,name:e.baseName||t},what:"the base",limits:i.policy.limits})).history)),{...N(b),snapshot:X}},F=o?(async()=>{let n=f?await(await f)?.facts:void 0;if(f&&!n)return;let c=await P(s,{...R(n),started:p});if(c)return{holds:c.holds,result:await v(n,c.workspace,c.snapshot)}})().catch(()=>{}):void 0,k=await C,$=f&&await(await f)?.facts.catch(()=>{});if(F&&(t===void 0||$!==void 0&&$===k)){let n=await F;if(n&&await n.holds)return n.result}let{workspace:Q,snapshot:V}=await D(s,R(k));return v(k,Q,V)}function Y(e){let t,s,a=new Promise(i=>s=i);return a.catch(()=>{}),{ask(i){return t||s(t=B(e,void 0,i)),t},status:a}}var _=`Usage: changeops check [--base REF] [--dir DIR] [--json] [--now TIME]

Evaluates changes and releases against the policy (changeops.yaml): validation, then every
evaluation rule (required content, risk and impact, lead time, windows and freezes, collisions,
status transitions, release consistency, rogue changes). Prints each change with its risk and
impact level, its problem links ("CHG-0051 remediates #123, opened by the failure of CHG-0042")
and its findings, then the findings on the rest of the repository.

With --base, evaluates what changed since the branch left REF (a branch, tag, sha or
origin/main): the change and release records in files changed between the merge base and the
working tree (committed, staged, unstaged and untracked files), status transitions and the audit
trail against the base, code under a CI's paths and CMDB edits without a change record. The base
decides: the policy in force (rules, severities, limits) is REF's changeops.yaml; the branch's
own is validated and what it changes is reported (policy-change), taking effect after merge.
Impact, windows and collisions are judged on the base's and the branch's CMDB together, so an
edit of the CMDB cannot lower them. A base missing from a shallow clone is fetched from origin.
A release the branch adds or edits also gets its readiness (as changeops release says it)
against the base's history of the records; it informs and does not change the exit code.
Without --base, evaluates every proposed or approved change and every release that is not
closed, under the working tree's policy.

Options:
  --base REF  compare with the merge base of REF and HEAD; REF is a branch, tag or commit sha
              (HEAD~1 too), never anything git could read as an option or a refspec
  --dir DIR   the repository root (default: the current directory)
  --json      print the outcome as JSON: {"ok", "changes", "releases", "repository", ...}
              (schemas/output/check.schema.json); with --base, a release edited has
              "readiness": {"ready", "branch", "summary", "reasons"}, else null
  --now TIME  evaluate as of this time instead of now (lead times, schedules): a date
              (2026-12-01, its start in UTC) or a date and time with a zone
              (2026-12-01T09:00:00Z), as every date option takes
  --no-cache  read and parse every record file, without the estate snapshot in .git/changeops/
              (by default the records of files unchanged since the snapshot's commit come from
              it; the outcome is the same)

A changeops.yaml with any error (an unknown rule or parameter, a bad time zone, a freeze that
ends before it starts, anything its schema refuses) cannot be used: no evaluation rule runs,
rather than running them under the defaults, and the run fails with exit 2. Without a
changeops.yaml the defaults apply, and a notice says so.

Exit codes: 0 no error-level finding, 1 an error-level finding, 2 usage or configuration error
(DIR holds no changeops.yaml, changes/ or cmdb/; the changeops.yaml in force unusable; a base
ref that cannot be found).`,q={base:{type:"string"},now:{type:"string"},"no-cache":{type:"boolean"}},Se={help:_,options:q,run:({values:e,dir:t},s)=>ee({dir:t,...typeof e.dir=="string"?{dirAsGiven:e.dir}:{},json:e.json===!0,...typeof e.base=="string"?{base:e.base}:{},...typeof e.now=="string"?{now:oe(e.now)}:{},...e["no-cache"]===!0?{cache:!1}:{}},s)};async function ee(e,t){let{outcome:s,readiness:a}=await Z({root:e.dir,...e.base!==void 0?{base:e.base}:{},...e.now?{now:e.now}:{},...e.cache===!1?{cache:!1}:{}});return e.json?S(t,te(s,a)):ne(s,t,a,e.dirAsGiven),s.policyUsable?s.ok?m.ok:m.failed:m.usage}function te(e,t){return{ok:e.ok&&e.policyUsable,policyUsable:e.policyUsable,policyFrom:e.policyFrom,base:e.base??null,changedFiles:e.changedFiles,changes:e.changes.map(s=>({id:s.id,title:s.title,type:s.type,status:s.status,file:s.file,riskLevel:s.riskLevel??null,impact:{level:s.impact.level,ids:s.impact.ids},findings:s.findings.map(g),problemLinks:s.problemLinks??[]})),releases:e.releases.map(s=>({id:s.id,title:s.title,status:s.status,file:s.file,changes:s.changes,findings:s.findings.map(g),readiness:t?.has(s.id)?se(t.get(s.id)):null})),repository:e.otherFindings.map(g),counts:e.counts,files:e.files,records:e.records}}function se(e){return{ready:e.ready,branch:e.branch,summary:e.summary,reasons:e.reasons.map(t=>({...t,change:t.change??null}))}}function ne(e,t,s,a){let i=(o,h)=>`${o} ${h}${o===1?"":"s"}`;t.out(e.base?`Checking against ${l(e.base.ref)} (merge base ${e.base.mergeBase.slice(0,12)}): ${i(e.changedFiles,"file")} changed; the base's policy is in force`:"Checking every pending change and open release (no --base: the working tree's policy is in force)"),e.policyUsable||t.out(e.policyFrom==="base"?"the base's changeops.yaml cannot be used, so no evaluation rule ran; fix it on the base branch first":"changeops.yaml cannot be used, so no evaluation rule ran; fix it first");for(let o of e.changes)ae(o,t);for(let o of e.releases)ie(o,t,s?.get(o.id));if(e.otherFindings.length>0){t.out(""),t.out("Repository");for(let o of e.otherFindings)t.out(`  ${w(o)}`)}let r=e.missingChange&&A({...e.missingChange,...a?{dir:a}:{}});r&&(t.out(""),t.out(`Missing change record: ${r.command} writes one for this branch`)),t.out("");let d=`${i(e.changes.length,"change")} and ${i(e.releases.length,"release")} evaluated`,u=x(e.counts);t.out(e.ok?`✓ ${d}: ${u}`:`✗ ${d}: ${u}`)}function ae(e,t){t.out(""),t.out(`${e.id}  ${l(e.title)}`);let s=e.impact.count;t.out(`  ${e.type}, ${e.status} · risk ${e.riskLevel??"not assessed"} · impact ${e.impact.level} (${s} CI${s===1?"":"s"})`);for(let a of e.problemLinks??[])t.out(`  ${l(a)}`);K(e.findings,t)}function ie(e,t,s){t.out(""),t.out(`${e.id}  ${l(e.title)}`);let a=e.changes.length;if(t.out(`  release, ${e.status} · ${a} change${a===1?"":"s"}`),s){t.out(`  ${l(s.summary)}`);for(let i of s.reasons)t.out(`    - ${l(i.message)}`)}K(e.findings,t)}function K(e,t){e.length===0&&t.out("  no findings");for(let s of e)t.out(`  ${w(s)}`)}function oe(e){return new Date(z("--now",e,"start"))}export{Se as checkCommand,_ as checkHelp,q as checkOptions,ee as runCheck};
