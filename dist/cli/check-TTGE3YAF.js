import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{K as E,T as I,U as P,V as A,i as T,s as j,v as D,w as S,x as O}from"./chunk-CVRD76T2.js";import{Ea as R,Fa as v,Ia as $,Ja as F,Ka as x,L as w,P as C}from"./chunk-2QHJGPM5.js";import{e as d,g as p,h as u,i as k,j as m,k as b}from"./chunk-N3BEXX3M.js";import"./chunk-E73Z34MY.js";function B(e){let t=e.branchHistory,s=t?D(e,j):void 0,n=S(e,s?{judged:s}:{}),a=t&&s?E({...s,sources:e.workspace.sources},t,n.releases,e.now):void 0,r;return{outcome:n,outputs:()=>r??=O(n),...a?{readiness:a}:{}}}async function U(e){let{base:t}=e,s,n=e.workingTree===!1,a=t===void 0||n?void 0:M(e.root),r=e.cache!==!1&&t!==void 0,c,h,o=t===void 0?void 0:I(e.root,t,{...e.fetch!==void 0?{fetch:e.fetch}:{},...e.workingTree!==void 0?{workingTree:e.workingTree}:{},...a?{status:a.ask}:{},...r?{whileDiffing:l=>{h=C(e.root,l),c?.readAhead()}}:{},maxFileBytes(l){return s=x(l),s.policy.limits.maxFileBytes}});r&&(c=F(e.root,n,a?.status));let i=await o,g=s?.policy.limits,{workspace:y,snapshot:H}=await $(e.root,{...g?{limits:g}:{},...c?{started:c}:{},...e.cache===!1?{cache:!1}:{},...i?{origin:{commit:i.mergeBase,changed:i.changedFiles,...h?{trees:h}:{}}}:{},...n?{committed:n}:{},...i?.policyFile?{policyText:i.policyFile.text}:{}}),f={workspace:y,now:e.now??new Date};return i&&s&&(f.base={...i,policy:s},R(y.estate,v(i.changedFiles)).releases.length>0&&(f.branchHistory=(await P(e.root,{branch:{ref:i.sha,name:e.baseName||t},what:"the base",limits:s.policy.limits})).history)),{...B(f),snapshot:H}}function M(e){let t,s,n=new Promise(a=>s=a);return n.catch(()=>{}),{ask(a){return t||s(t=w(e,void 0,a)),t},status:n}}var L=`Usage: changeops check [--base REF] [--dir DIR] [--json] [--now TIME]

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
ref that cannot be found).`,G={base:{type:"string"},now:{type:"string"},"no-cache":{type:"boolean"}},ue={help:L,options:G,run:({values:e,dir:t},s)=>J({dir:t,...typeof e.dir=="string"?{dirAsGiven:e.dir}:{},json:e.json===!0,...typeof e.base=="string"?{base:e.base}:{},...typeof e.now=="string"?{now:V(e.now)}:{},...e["no-cache"]===!0?{cache:!1}:{}},s)};async function J(e,t){let{outcome:s,readiness:n}=await U({root:e.dir,...e.base!==void 0?{base:e.base}:{},...e.now?{now:e.now}:{},...e.cache===!1?{cache:!1}:{}});return e.json?b(t,z(s,n)):Z(s,t,n,e.dirAsGiven),s.policyUsable?s.ok?p.ok:p.failed:p.usage}function z(e,t){return{ok:e.ok&&e.policyUsable,policyUsable:e.policyUsable,policyFrom:e.policyFrom,base:e.base??null,changedFiles:e.changedFiles,changes:e.changes.map(s=>({id:s.id,title:s.title,type:s.type,status:s.status,file:s.file,riskLevel:s.riskLevel??null,impact:{level:s.impact.level,ids:s.impact.ids},findings:s.findings.map(m),problemLinks:s.problemLinks??[]})),releases:e.releases.map(s=>({id:s.id,title:s.title,status:s.status,file:s.file,changes:s.changes,findings:s.findings.map(m),readiness:t?.has(s.id)?N(t.get(s.id)):null})),repository:e.otherFindings.map(m),counts:e.counts,files:e.files,records:e.records}}function N(e){return{ready:e.ready,branch:e.branch,summary:e.summary,reasons:e.reasons.map(t=>({...t,change:t.change??null}))}}function Z(e,t,s,n){let a=(o,i)=>`${o} ${i}${o===1?"":"s"}`;t.out(e.base?`Checking against ${d(e.base.ref)} (merge base ${e.base.mergeBase.slice(0,12)}): ${a(e.changedFiles,"file")} changed; the base's policy is in force`:"Checking every pending change and open release (no --base: the working tree's policy is in force)"),e.policyUsable||t.out(e.policyFrom==="base"?"the base's changeops.yaml cannot be used, so no evaluation rule ran; fix it on the base branch first":"changeops.yaml cannot be used, so no evaluation rule ran; fix it first");for(let o of e.changes)K(o,t);for(let o of e.releases)Q(o,t,s?.get(o.id));if(e.otherFindings.length>0){t.out(""),t.out("Repository");for(let o of e.otherFindings)t.out(`  ${u(o)}`)}let r=e.missingChange&&T({...e.missingChange,...n?{dir:n}:{}});r&&(t.out(""),t.out(`Missing change record: ${r.command} writes one for this branch`)),t.out("");let c=`${a(e.changes.length,"change")} and ${a(e.releases.length,"release")} evaluated`,h=k(e.counts);t.out(e.ok?`✓ ${c}: ${h}`:`✗ ${c}: ${h}`)}function K(e,t){t.out(""),t.out(`${e.id}  ${d(e.title)}`);let s=e.impact.count;t.out(`  ${e.type}, ${e.status} · risk ${e.riskLevel??"not assessed"} · impact ${e.impact.level} (${s} CI${s===1?"":"s"})`);for(let n of e.problemLinks??[])t.out(`  ${d(n)}`);W(e.findings,t)}function Q(e,t,s){t.out(""),t.out(`${e.id}  ${d(e.title)}`);let n=e.changes.length;if(t.out(`  release, ${e.status} · ${n} change${n===1?"":"s"}`),s){t.out(`  ${d(s.summary)}`);for(let a of s.reasons)t.out(`    - ${d(a.message)}`)}W(e.findings,t)}function W(e,t){e.length===0&&t.out("  no findings");for(let s of e)t.out(`  ${u(s)}`)}function V(e){return new Date(A("--now",e,"start"))}export{ue as checkCommand,L as checkHelp,G as checkOptions,J as runCheck};
