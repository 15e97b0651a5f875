import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{$ as T,H as $,K as F,L as x,M as j,N as D,O as S,i as v,ia as O,ja as E,ka as I}from"./chunk-VAZQLZXL.js";import{L as b,ka as w,la as C,ma as R}from"./chunk-XJ7VF5YJ.js";import{e as c,g as l,h as f,i as y,j as p,k}from"./chunk-QS66H7VP.js";import"./chunk-E73Z34MY.js";function P(e){let t=e.branchHistory,s=t?F(e,$):void 0,n=D(e,s?{judged:s}:{}),i=t&&s?T({...s,sources:e.workspace.sources},t,n.releases,e.now):void 0,o;return{outcome:n,outputs:()=>o??=S(n),...i?{readiness:i}:{}}}async function B(e){let{base:t}=e,s,n=e.workingTree===!1,i=t===void 0||n?void 0:W(e.root),o=e.cache!==!1&&t!==void 0,r,d=t===void 0?void 0:O(e.root,t,{...e.fetch!==void 0?{fetch:e.fetch}:{},...e.workingTree!==void 0?{workingTree:e.workingTree}:{},...i?{status:i.ask}:{},...o?{whileDiffing:()=>r?.readAhead()}:{},maxFileBytes(g){return s=R(g),s.policy.limits.maxFileBytes}});o&&(r=C(e.root,n,i?.status));let a=await d,h=s?.policy.limits,{workspace:u,snapshot:U}=await w(e.root,{...h?{limits:h}:{},...r?{started:r}:{},...e.cache===!1?{cache:!1}:{},...a?{origin:{commit:a.mergeBase,changed:a.changedFiles}}:{},...n?{committed:n}:{},...a?.policyFile?{policyText:a.policyFile.text}:{}}),m={workspace:u,now:e.now??new Date};return a&&s&&(m.base={...a,policy:s},x(u.estate,j(a.changedFiles)).releases.length>0&&(m.branchHistory=(await E(e.root,{branch:{ref:a.sha,name:e.baseName||t},what:"the base",limits:s.policy.limits})).history)),{...P(m),snapshot:U}}function W(e){let t,s,n=new Promise(i=>s=i);return n.catch(()=>{}),{ask(i){return t||s(t=b(e,void 0,i)),t},status:n}}var H=`Usage: changeops check [--base REF] [--dir DIR] [--json] [--now TIME]

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
ref that cannot be found).`,M={base:{type:"string"},now:{type:"string"},"no-cache":{type:"boolean"}},pe={help:H,options:M,run:({values:e,dir:t},s)=>L({dir:t,...typeof e.dir=="string"?{dirAsGiven:e.dir}:{},json:e.json===!0,...typeof e.base=="string"?{base:e.base}:{},...typeof e.now=="string"?{now:K(e.now)}:{},...e["no-cache"]===!0?{cache:!1}:{}},s)};async function L(e,t){let{outcome:s,readiness:n}=await B({root:e.dir,...e.base!==void 0?{base:e.base}:{},...e.now?{now:e.now}:{},...e.cache===!1?{cache:!1}:{}});return e.json?k(t,G(s,n)):z(s,t,n,e.dirAsGiven),s.policyUsable?s.ok?l.ok:l.failed:l.usage}function G(e,t){return{ok:e.ok&&e.policyUsable,policyUsable:e.policyUsable,policyFrom:e.policyFrom,base:e.base??null,changedFiles:e.changedFiles,changes:e.changes.map(s=>({id:s.id,title:s.title,type:s.type,status:s.status,file:s.file,riskLevel:s.riskLevel??null,impact:{level:s.impact.level,ids:s.impact.ids},findings:s.findings.map(p),problemLinks:s.problemLinks??[]})),releases:e.releases.map(s=>({id:s.id,title:s.title,status:s.status,file:s.file,changes:s.changes,findings:s.findings.map(p),readiness:t?.has(s.id)?J(t.get(s.id)):null})),repository:e.otherFindings.map(p),counts:e.counts,files:e.files,records:e.records}}function J(e){return{ready:e.ready,branch:e.branch,summary:e.summary,reasons:e.reasons.map(t=>({...t,change:t.change??null}))}}function z(e,t,s,n){let i=(a,h)=>`${a} ${h}${a===1?"":"s"}`;t.out(e.base?`Checking against ${c(e.base.ref)} (merge base ${e.base.mergeBase.slice(0,12)}): ${i(e.changedFiles,"file")} changed; the base's policy is in force`:"Checking every pending change and open release (no --base: the working tree's policy is in force)"),e.policyUsable||t.out(e.policyFrom==="base"?"the base's changeops.yaml cannot be used, so no evaluation rule ran; fix it on the base branch first":"changeops.yaml cannot be used, so no evaluation rule ran; fix it first");for(let a of e.changes)N(a,t);for(let a of e.releases)Z(a,t,s?.get(a.id));if(e.otherFindings.length>0){t.out(""),t.out("Repository");for(let a of e.otherFindings)t.out(`  ${f(a)}`)}let o=e.missingChange&&v({...e.missingChange,...n?{dir:n}:{}});o&&(t.out(""),t.out(`Missing change record: ${o.command} writes one for this branch`)),t.out("");let r=`${i(e.changes.length,"change")} and ${i(e.releases.length,"release")} evaluated`,d=y(e.counts);t.out(e.ok?`✓ ${r}: ${d}`:`✗ ${r}: ${d}`)}function N(e,t){t.out(""),t.out(`${e.id}  ${c(e.title)}`);let s=e.impact.ids.length;t.out(`  ${e.type}, ${e.status} · risk ${e.riskLevel??"not assessed"} · impact ${e.impact.level} (${s} CI${s===1?"":"s"})`);for(let n of e.problemLinks??[])t.out(`  ${c(n)}`);A(e.findings,t)}function Z(e,t,s){t.out(""),t.out(`${e.id}  ${c(e.title)}`);let n=e.changes.length;if(t.out(`  release, ${e.status} · ${n} change${n===1?"":"s"}`),s){t.out(`  ${c(s.summary)}`);for(let i of s.reasons)t.out(`    - ${c(i.message)}`)}A(e.findings,t)}function A(e,t){e.length===0&&t.out("  no findings");for(let s of e)t.out(`  ${f(s)}`)}function K(e){return new Date(I("--now",e,"start"))}export{pe as checkCommand,H as checkHelp,M as checkOptions,L as runCheck};
