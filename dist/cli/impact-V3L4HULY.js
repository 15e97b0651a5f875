import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{b as $}from"./chunk-2YFNM6YQ.js";import{a as k,b as f,c as E}from"./chunk-W5372VJB.js";import{a as j}from"./chunk-N5N7RIEE.js";import"./chunk-RGU2ZWCI.js";import"./chunk-NVRM4J55.js";import"./chunk-OZM4GQOR.js";import"./chunk-DFM7I7U3.js";import{I as l,V as x,g as w}from"./chunk-I6GG6QXW.js";import{d,e as h,g,h as C,k as v,l as b,m as p}from"./chunk-QS66H7VP.js";import"./chunk-E73Z34MY.js";function O(t,n){return $(x(t),n)}async function L(t,n,e){let a=await j(t,e,"--at");return{...$(a.workspace,n),at:{ref:e,sha:a.sha}}}function F(t,n=5){let e=t.start.slice(0,n).join(", "),a=t.start.length-n;return d(a>0?`${e} and ${a} more`:e)}function A(t){let n=[],e=t.impacted.length;if(e===0)n.push("No CI of the CMDB is impacted.");else{n.push(`Impact of ${F(t)}: ${e} ${e===1?"CI":"CIs"}`);let a=l(t),s=t.impacted.map((c,o)=>[d(c.id),String(c.depth),String(c.criticality),a(o).map(d).join(" > ")]),i=["ID","DEPTH","CRIT","VIA"],r=i.map((c,o)=>s.reduce((m,y)=>Math.max(m,y[o].length),c.length));for(let c of[i,...s])n.push(c.map((o,m)=>m<c.length-1?o.padEnd(r[m]):o).join("  "))}return n.push(...f(t.unknown)),`${n.join(`
`)}
`}function M(t,n){let e=t.impacted[n],a=e.name!==e.id?` (${d(e.name)})`:"",s=e.criticality===1?" [critical]":"";return`${e.relation==="direct"?"":`${k[e.relation]} `}${d(e.id)}${a}${s}`}var B=24;function D(t){let n=t.impacted.length;if(n===0)return`${["No CI of the CMDB is impacted.",...f(t.unknown)].join(`
`)}
`;let e=Array.from({length:n},()=>[]),a=[];for(let r=0;r<n;r++){let c=t.parents[r]??-1;c<0||c>=r?a.push(r):e[c].push(r)}let s=[],i=[];for(let r=a.length-1;r>=0;r--)i.push({p:a[r],prefix:"",last:!0,level:0});for(;i.length>0;){let{p:r,prefix:c,last:o,level:m}=i.pop(),y=m>B?`[depth ${m}] `:"";s.push(m===0?M(t,r):`${c}${o?"└── ":"├── "}${y}${M(t,r)}`);let H=m===0?"":m>=B?c:`${c}${o?"    ":"│   "}`,I=e[r];for(let u=I.length-1;u>=0;u--)i.push({p:I[u],prefix:H,last:u===I.length-1,level:m+1})}return s.push("",n===1?"1 CI":`${n} CIs`,...f(t.unknown)),`${s.join(`
`)}
`}var T=`Usage: changeops impact <ci-id | change-id> [--at REF] [--format text|tree|mermaid] [--dir DIR] [--json]

Shows the blast radius of a change: for a CI id, every CI that changing it impacts; for a change
id (CHG-...), every CI the change's cis impact. A CI is impacted when it depends on (dependsOn)
or is part of (partOf) an impacted CI, transitively. Each impacted CI is listed with its depth
(hops from a named CI) and the path that explains it (past five CIs only its first and last
hop: a > b > … > y > z), then the impact level (from the policy's impactByCriticality, set by
the most critical CI reached) overall and per environment. For a change, last, the problems it
is linked with: "CHG-0051 remediates #123, opened by the failure of CHG-0042" (its problem
field, and the review.problemIssue a failed change records).

Options:
  --at REF    answer from the records as they were at a commit (a branch, tag or sha), read
              through git, instead of the working tree: the CMDB of a past change. changeops
              evidence uses the commit that approved the change
  --format F  text (default): a table of the impacted CIs, then the levels
              tree: the same as an indented tree of explanations, then the levels
              mermaid: a mermaid flowchart only, bare (starting with "graph LR", no fence), so
              it can be written into a Markdown file inside a \`\`\`mermaid fence, which GitHub draws
  --dir DIR   the repository root (default: the current directory)
  --json      print {"ok", "subject" (with "problemLinks" for a change), "impacted": [{"id",
              "name", "depth", "via", "through", "relation", "criticality", "environment"}],
              "level", "mostCritical", "environments", "unknown", "recordErrors", "at"} ("at":
              {"ref", "sha"} with --at, else null; schemas/output/impact.schema.json); not with
              --format. "via" is the path from a named CI, past five CIs only its first and last
              hop (["a", "b", "…", "y", "z"]); "through" the CI before it (null when named)

The records are not judged here: when they have errors (run changeops validate), a note on
stderr says the impact may be incomplete, and the exit code does not change.

Exit codes: 0 the impact was shown, 2 no id, an id that is neither a CI nor a change (with the
closest known id), a --at that is not a commit, or a usage error.`,G=["text","tree","mermaid"],mt={help:T,options:{format:{type:"string"},at:{type:"string"}},run:({values:t,positionals:n,dir:e},a)=>{if(n.length===0)throw new p("give a CI id or a change id (CHG-...)");if(n.length>1)throw new p(`give one id, not ${n.length}: ${n.join(" ")}`);let s=t.format;if(s!==void 0&&!G.includes(s))throw new p(`--format is ${w(s)}; use text, tree or mermaid`);if(s!==void 0&&t.json===!0)throw new p("--json and --format exclude each other; give one of them");if(t.at==="")throw new p("--at needs a ref");return P({dir:e,id:n[0],json:t.json===!0,format:s??"text",...typeof t.at=="string"?{at:t.at}:{}},a)}};async function P(t,n){let e=t.at!==void 0?await L(t.dir,t.id,t.at):O(t.dir,t.id);if(!e.found){let r=e.suggestion?`; did you mean "${h(e.suggestion)}"?`:"",c=e.release?"is a release; give a CI id or a change id (CHG-...)":t.id.startsWith("CHG-")?`is not a known change${r}`:`is neither a CI of the CMDB nor a change${r}`,o=e.at?` at ${e.at.sha.slice(0,12)}`:"";throw new b("not-found",`${h(w(t.id))} ${c}${o}`)}let a=R(e);a&&n.err(a);for(let r of e.unread)n.err(`note: ${C(r)}`);if(t.json)return v(n,U(e)),g.ok;if(t.format==="mermaid")return n.out(E(e.impact).trimEnd()),g.ok;if(e.at){let r=e.at.sha.slice(0,12);n.out(e.at.sha.startsWith(e.at.ref.toLowerCase())?`As of commit ${r}:`:`As of ${h(e.at.ref)} (commit ${r}):`)}n.out(S(e.subject));let s=t.format==="tree"?D(e.impact):A(e.impact);n.out(s.trimEnd()),n.out(""),n.out(W(e.assessment,e).join(`
`));let i=e.subject.kind==="change"?e.subject.problemLinks??[]:[];return i.length>0&&n.out(["",...i.map(h)].join(`
`)),g.ok}function R(t){if(t.recordErrors===0&&t.policyUsable)return;let n=[];return t.recordErrors>0&&n.push(`the records have ${t.recordErrors} error${t.recordErrors===1?"":"s"}, so the impact may be incomplete`),t.policyUsable||n.push("changeops.yaml cannot be used, so the levels follow the default impactByCriticality"),`note: ${n.join("; ")} (run changeops validate)`}function S(t){if(t.kind==="change")return h(`${t.id}  ${t.title} (${t.type} change, ${t.status})`);let n=[t.class,t.criticality!==null?`criticality ${t.criticality}`:"",t.environment??""].filter(Boolean),e=t.name!==t.id?`  ${t.name}`:"";return h(`${t.id}${e}${n.length?` (${n.join(", ")})`:""}`)}function W(t,n){if(t.mostCritical===null)return["Impact level: low (no CI of the CMDB is reached)"];let e=n.impact.impacted.findIndex(o=>o.id===t.mostCritical),a=e>=0?l(n.impact)(e):[],s=[h(`Impact level: ${t.level}, set by ${t.mostCritical} (criticality ${t.criticality}${a.length>1?`, via ${a.join(" > ")}`:""})`),"By environment:"],i=t.byEnvironment.map(o=>o.environment??"(none)"),r=i.reduce((o,m)=>Math.max(o,m.length),0),c=t.byEnvironment.reduce((o,m)=>Math.max(o,m.level.length),0);return t.byEnvironment.forEach((o,m)=>{s.push(h(`  ${i[m].padEnd(r)}  ${o.level.padEnd(c)}  ${o.mostCritical} (criticality ${o.criticality})`))}),s}function U(t){let{assessment:n,impact:e}=t,a=e.impacted.findIndex(i=>i.id===n.mostCritical),s=l(e);return{ok:!0,subject:t.subject.kind==="change"?{...t.subject,problemLinks:t.subject.problemLinks??[]}:t.subject,impacted:e.impacted.map((i,r)=>({id:i.id,name:i.name??null,depth:i.depth,via:s(r),through:(e.parents[r]??-1)>=0?e.impacted[e.parents[r]].id:null,relation:i.relation,criticality:i.criticality??null,environment:i.environment??null})),level:n.level,mostCritical:a>=0?{id:n.mostCritical,criticality:n.criticality,via:s(a)}:null,environments:n.byEnvironment,unknown:e.unknown,recordErrors:t.recordErrors,at:t.at??null}}export{mt as impactCommand,T as impactHelp,P as runImpact};
