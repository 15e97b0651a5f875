import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a as C}from"./chunk-OFMB4ACS.js";import{a as v}from"./chunk-GWITNJQH.js";import{a as _}from"./chunk-LUZWYOOD.js";import{b as D,c as q,e as O}from"./chunk-7L35MQ4R.js";import{c as T}from"./chunk-SQREM24B.js";import{b as N,d as F}from"./chunk-OZM4GQOR.js";import{a as M}from"./chunk-DFM7I7U3.js";import{g as $,n as H}from"./chunk-I6GG6QXW.js";import{e as G,g as f,h as B,i as j,m as g}from"./chunk-QS66H7VP.js";import"./chunk-E73Z34MY.js";import{basename as ye}from"node:path";import{basename as ue,join as E,relative as Q,sep as X}from"node:path";import{existsSync as W,readdirSync as ie,readFileSync as oe}from"node:fs";import{dirname as z,join as k}from"node:path";import{fileURLToPath as ce}from"node:url";function L(){let e=z(ce(import.meta.url));for(;;){let t=k(e,"schemas");if(W(k(e,"package.json"))&&W(k(t,"change.schema.json")))return ie(t).filter(r=>r.endsWith(".schema.json")).sort().map(r=>({name:r,text:oe(k(t,r),"utf8")}));let n=z(e);if(n===e)throw new Error("cannot find the schemas that ship with changeops (its schemas/ folder)");e=n}}async function J(e){try{return(await e.git.raw(["symbolic-ref","--quiet","--short","HEAD"])).trim()||void 0}catch{return}}var I="changeops/changeops",Y=(e,t)=>`"TODO: ${e}, such as ${t}"`,he=e=>e.map(t=>`'${t}'`).join(", ");function V(e){let t=".changeops/schemas";return[{path:"changeops.yaml",from:"root",text:pe(e,`${t}/policy.schema.json`)},{path:"changes/README.md",from:"root",text:le()},{path:`cmdb/${e.ci.id}.yaml`,from:"root",text:me(e,`../${t}/configuration-item.schema.json`)},{path:".github/workflows/changeops.yml",from:"top",text:ge(e)},{path:".github/workflows/changeops-verify.yml",from:"top",text:de(e)}]}function pe(e,t){let n=(r,a,c)=>r.length?`[${he(r)}]`:`[${Y(a,c)}]`;return`${O(t)}
#
# The change policy of this repository, written by changeops init ${e.version}: edit it.
# In a pull request the base branch's copy is in force, never the pull request's own: an edit
# of this file takes effect once merged, and is itself a change that needs the CAB's approval.
# Everything but apiVersion, kind and id may be left out; what is left out takes the default
# named in its comment. The reference: docs/policy.md of changeops.
apiVersion: changeops/v1
kind: Policy
id: ${e.policyId}

# Who approves. Members are GitHub teams (@org/team) or users (@login), in quotes: YAML reads a
# bare @ as an error. Only active team members count; the gate reads the teams through the
# GitHub API, which needs its GitHub App (see the workflow .github/workflows/changeops.yml).
boards:
  cab:
    description: Change Advisory Board, approves normal changes.
    members: ${n(e.cab,"your CAB team","@acme/cab")}
  ecab:
    description: Emergency CAB, approves emergency changes; the CAB reviews them afterwards.
    members: ${n(e.ecab,"your ECAB team","@acme/ecab")}

# Every rule whose "when" matches a change applies, and all that apply must be met. The pull
# request's author and the change's requester never count, nor do bots. Standard changes
# (pre-approved through a template below) match none of these.
approvals:
  - name: cab
    description: A normal change needs one CAB member.
    when: { types: [normal] }
    from: { board: cab }
    count: 1
  - name: cab-high-risk
    description: A high-risk normal change needs two CAB members.
    when: { types: [normal], risk: [high] }
    from: { board: cab }
    count: 2
  - name: ecab
    description: An emergency change needs one ECAB member.
    when: { types: [emergency] }
    from: { board: ecab }
    count: 1

# The risk level of a change is looked up from its likelihood (rows) and impact (columns).
riskMatrix:
  low: { low: low, medium: low, high: medium }
  medium: { low: low, medium: medium, high: high }
  high: { low: medium, medium: high, high: high }

# The least impact a change may state: that of the most critical CI it touches or reaches
# through dependsOn and partOf (criticality 1 is business critical, 4 low).
impactByCriticality:
  1: high
  2: high
  3: medium
  4: low

# Pre-approved standard changes: "type: standard" names one, touches only its CIs or classes
# and stays at or below its maxRisk; no approval is needed.
templates:
  - id: std-restart
    title: Rolling restart of an application, same version and configuration
    classes: [application]
    maxRisk: low

# Changes are scheduled inside a window that applies to them (emergencies are exempt): here
# working hours, Monday to Thursday, never into a Friday. Times are local to the timezone.
windows:
  - name: Working hours
    days: [mon, tue, wed, thu]
    from: '09:00'
    to: '17:00'
    timezone: UTC

# No change but an emergency may be scheduled inside a freeze. For example:
# freezes:
#   - name: Year end
#     start: 2027-12-18T00:00:00Z
#     end: 2028-01-04T06:00:00Z
#     allow: [emergency]

# Hours between proposing a change and its start, by type.
leadTimeHours:
  standard: 0
  normal: 48
  emergency: 0

# Evaluation rules by id: error (fails the check), warning, notice or off. Left out: the
# rule's default. These two start as warnings while the teams get used to change records.
rules:
  rogue-change: warning # code under a CI's paths changed without a change that names the CI
  cmdb-change: warning # a CI added, edited or removed without a change that names it
`}function me(e,t){let{ci:n}=e,r=n.owner?`'${n.owner}'`:Y("the team that owns it","@acme/payments"),a=n.paths.length?`paths:
${n.paths.map(c=>`  - ${JSON.stringify(c)}
`).join("")}`:`# The code that belongs to it: a pull request that changes it needs a change that names
# this CI (the rogue-change rule). For example:
# paths:
#   - "services/${n.id}/**"
`;return`${O(t)}
# A configuration item of the CMDB: one file per CI (or several, separated by ---), in any
# sub-folder of cmdb/. The reference: docs/records.md of changeops.
apiVersion: changeops/v1
kind: ConfigurationItem
id: ${n.id}
name: ${JSON.stringify(n.name)}
class: application
owner: ${r}
criticality: 3 # 1 business critical, 2 high, 3 medium, 4 low
environment: production
# dependsOn: [a-database]  # a change to a-database impacts this CI
# partOf: [a-business-service]  # a change to this CI impacts a-business-service
${a}`}function le(){return`# Change records

One file per change, named after its id: \`CHG-0042-upgrade-pg.yaml\`. Write one with

\`\`\`sh
npx changeops new
\`\`\`

which asks for what it needs (or takes every answer as an option), picks the next free id and
the first slot the policy allows, and checks the record before writing it. Release records
(\`REL-2027.01-spring.yaml\`) live here too.
`}function Z(e){return e.dir?`
          dir: ${JSON.stringify(e.dir)}`:""}function U(e){let t=/^[0-9a-f]{40}$/.test(e.actionRef);return`${I}@${e.actionRef} # ${t?`changeops ${e.version}`:`pin it to the commit sha of the ${e.actionRef} tag`}`}var K="actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2";function ge(e){let t=e.dir?`changeops-gate-${e.dir.replace(/[^A-Za-z0-9]+/g,"-")}-`:"changeops-gate-";return`# The CAB approval gate (changeops gate): the check of every pull request, the approval
# checklist in its comment, and the commit status changeops/cab that a ruleset requires. It
# runs as a GitHub App (vars.CHANGEOPS_APP_ID, secrets.CHANGEOPS_APP_PRIVATE_KEY), so that the
# ruleset can require changeops/cab from that App; without it the gate is advisory.
# Written by changeops init ${e.version}.
name: changeops gate
on:
  pull_request:
    types: [opened, synchronize, reopened, edited, closed]
  pull_request_review:
    types: [submitted, edited, dismissed]
  merge_group:
permissions:
  contents: read
jobs:
  gate:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    # One run at a time per pull request (or merge group), the latest event last.
    concurrency:
      group: ${t}\${{ github.event.pull_request.number || github.ref }}
      cancel-in-progress: false
    permissions:
      contents: read # the App's installation token does the reading and writing
    steps:
      - uses: ${K}
        with:
          fetch-depth: 0 # the base commit, the merge base, the merge queue's history
      - uses: ${U(e)}
        with:
          command: gate${Z(e)}
          app-id: \${{ vars.CHANGEOPS_APP_ID }}
          app-private-key: \${{ secrets.CHANGEOPS_APP_PRIVATE_KEY }}
`}function de(e){return`# After a deploy (changeops verify): each change the push to the default branch deployed gets
# its post-implementation checks (checks[].run in its record) run; a failure opens one problem
# issue per change. Put your deploy step before it (or move this step into your deploy job),
# and pass its outcome: a failed deploy fails the change even when its checks pass.
# Written by changeops init ${e.version}.
name: changeops verify
on:
  push:
    branches: [${JSON.stringify(e.branch)}]
  workflow_dispatch:
    inputs:
      changes:
        description: The changes to verify again (CHG-0042, CHG-0043)
        required: true
permissions:
  contents: read
concurrency:
  group: changeops-verify
  cancel-in-progress: false
jobs:
  verify:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: read
      issues: write # the problem issue
      pull-requests: write # the note on the change's pull request
    steps:
      - uses: ${K}
        with:
          fetch-depth: 2 # the pushed commit and the one before it
          persist-credentials: false
      # - id: deploy
      #   run: ./deploy.sh production
      - uses: ${U(e)}
        if: always()
        with:
          command: verify${Z(e)}
          changes: \${{ inputs.changes }} # empty on push: the changes the push adds or edits
          check-timeout: 300
          # outcome: \${{ steps.deploy.outcome }}
`}async function fe(e){let t;try{t=await M(e,"init writes the workflows at its top")}catch{return{top:e,inGit:!1,branch:"main"}}let n=await F(t),r=n.name!=="HEAD"?n.name:await J(t);return{top:t.top,inGit:!0,branch:r&&N(r)?r:"main"}}function ee(e){let t=L().map(({name:n,text:r})=>({relative:`${H}/${n}`,text:r}));return t.push({relative:".changeops/README.md",text:`# .changeops

\`schemas/\` holds the JSON Schemas of changeops ${e}, written by \`changeops init\`: the
\`# yaml-language-server: $schema=...\` line at the top of each record points here, so an
editor with the YAML extension completes and checks records offline, for the version in use.
After upgrading changeops, refresh them with \`npx changeops init --upgrade\`. changeops itself
validates with the schemas compiled into it, whatever these say; editing them is a governance
change that the gate asks approval for.
`}),t}async function te(e){let{root:t}=e,{top:n,inGit:r,branch:a}=await fe(t),c=Q(n,t).split(X).join("/"),w=V({policyId:we(ue(n)),cab:e.cab,ecab:e.ecab,ci:e.ci,dir:c,branch:a,actionRef:e.actionRef??`v${e.version}`,version:e.version}),h=i=>Q(n,i).split(X).join("/"),l=[...w.map(i=>{let o=E(i.from==="top"?n:t,i.path);return{path:h(o),absolute:o,text:i.text}}),...ee(e.version).map(i=>{let o=E(t,i.relative);return{path:h(o),absolute:o,text:i.text}})],y=l.filter(i=>T(i.absolute)).map(i=>i.path);return{top:n,inGit:r,branch:a,files:l,existing:y}}function re(e,t){return e.existing.length>0&&!t.force?{refused:e.existing}:"refused"in C(e.files.map(r=>({path:r.absolute,text:r.text})),{force:t.force})?{refused:e.files.map(r=>r.path)}:{written:e.files.map(r=>r.path)}}function ne(e,t){let n=ee(t),r=C(n.map(a=>({path:E(e,a.relative),text:a.text})),{force:!0});return"refused"in r?[]:r.written.map((a,c)=>({path:n[c].relative,outcome:a.outcome}))}function we(e){return e.toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-+|-+$/g,"").slice(0,63).replace(/-+$/,"")||"changeops"}var be=`Usage: changeops init [--cab-team @ORG/TEAM] [--ecab-team @ORG/TEAM] [--ci ID] [--ci-name NAME]
                      [--owner @ORG/TEAM] [--paths GLOB,...] [--action-ref REF] [--force]
                      [--yes] [--upgrade] [--dir DIR] [--json]

Sets up a repository for changeops: writes changeops.yaml (the policy, commented, with safe
defaults), changes/ (its README), cmdb/ with a first configuration item, the JSON Schemas of
this version under .changeops/schemas/ (the records' yaml-language-server modelines point
there, so an editor checks them offline), and at the top of the git repository the workflows
.github/workflows/changeops.yml (the CAB approval gate, command: gate) and
changeops-verify.yml (verify after a deploy), with pinned actions and least privilege. Then it
validates what it wrote and prints the GitHub settings to turn on next.

Nothing is overwritten: when any of the files exists, init lists them and writes nothing
(exit 2), unless --force, which replaces them. On a terminal it asks for what the options do
not give; anywhere else, or with --yes, it asks nothing. A board or owner left out is written
as a TODO that validate refuses, so nobody gates on a team that was never set.

Options:
  --cab-team P     the CAB's members: @org/team or @login, comma-separated
  --ecab-team P    the emergency CAB's (default: the CAB's)
  --ci ID          the first CI's id (default: the repository folder's name, as a slug)
  --ci-name NAME   its name (default: the id)
  --owner P        the team that owns it (@org/team or @login)
  --paths GLOBS    its code, comma-separated globs from the repository's top (services/a/**)
  --action-ref REF what the workflows' uses: ${I}@ names (default: v${v},
                   this version's release tag; give a commit sha to pin it)
  --force          replace files that exist
  --yes            ask nothing, even on a terminal
  --upgrade        only refresh .changeops/schemas/ (and its README) to this version's schemas
  --dir DIR        the changeops root (default: the current directory); in a monorepo a
                   sub-folder, and the workflows go to the repository's top with dir: set
  --json           print {"ok", "written", "refused", "validation"}

Exit codes: 0 written (validate may still report the TODOs left), 2 a file exists (nothing
written), or a bad option.`,ve={"cab-team":{type:"string"},"ecab-team":{type:"string"},ci:{type:"string"},"ci-name":{type:"string"},owner:{type:"string"},paths:{type:"string"},"action-ref":{type:"string"},force:{type:"boolean",default:!1},yes:{type:"boolean",default:!1},upgrade:{type:"boolean",default:!1}},Ze={help:be,options:ve,run:async({values:e,positionals:t,dir:n},r)=>{if(t.length>0)throw new g(`init takes no arguments, not ${t.join(" ")}`);let a=e.json===!0;if(e.upgrade===!0){let s=ne(n,v);if(a)P(r,{ok:!0,written:s.map(m=>m.path),refused:[]});else for(let m of s)r.out(`${m.outcome==="created"?"wrote":m.outcome} ${m.path}`);return f.ok}let c=e.yes===!0?void 0:r.ask,w=s=>typeof e[s]=="string"?e[s].trim():void 0,h=async(s,m,b="")=>{let R=w(s);return R!==void 0||!c?R??b:await c(`${m}${b?` [${b}]`:""}: `)||b},l=S("--cab-team",await h("cab-team","CAB members, @org/team (empty: a TODO)")),y=S("--ecab-team",await h("ecab-team","Emergency CAB members",l.join(", "))),i=ye(n).toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-+|-+$/g,""),o=await h("ci","The first configuration item: its id",i||"my-service");if(!q(o))throw new g(`--ci is ${$(o)}; a CI id is lowercase letters, digits and dashes (payments-api)`);let ae=await h("ci-name","Its name",o)||o,A=S("--owner",await h("owner","The team that owns it, @org/team (empty: a TODO)"));if(A.length>1)throw new g("--owner is one team or user");let se=(await h("paths","Its code, globs separated by commas (empty: none)")).split(",").map(s=>s.trim()).filter(Boolean),d=w("action-ref");if(d!==void 0&&!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/.test(d))throw new g(`--action-ref is ${$(d)}; give a tag (v1) or a commit sha`);let x=await te({root:n,cab:l,ecab:y.length?y:l,ci:{id:o,name:ae,...A[0]?{owner:A[0]}:{},paths:se},...d?{actionRef:d}:{},version:v}),p=re(x,{force:e.force===!0});if("refused"in p)return a?P(r,{ok:!1,written:[],refused:p.refused,validation:null}):r.err(`changeops init: nothing written: ${p.refused.length===1?"this file exists":"these files exist"} already:
${p.refused.map(s=>`  ${G(s)}`).join(`
`)}
--force replaces them; --upgrade refreshes only the schemas in .changeops/schemas/.`),f.usage;let u=_(n);if(a)return P(r,{ok:!0,written:p.written,refused:[],validation:{valid:u.valid,...u.counts}}),f.ok;r.out(`wrote ${p.written.length} files:
${p.written.map(s=>`  ${s}`).join(`
`)}`),x.inGit||r.err(`note: ${n} is in no git repository, so the workflows are under it; GitHub reads them from .github/workflows/ at the top of a repository`);for(let s of u.findings)r.out(B(s));return r.out(u.valid?"changeops validate: valid":`changeops validate: ${j(u.counts)}: fill in the TODOs above`),r.out($e(x)),f.ok}};function S(e,t){let n=t.split(",").map(r=>r.trim()).filter(Boolean);for(let r of n)if(!D.test(r))throw new g(`${e} has ${$(r)}; write a team as @org/team-slug or a user as @login`);return n}function $e(e){return`
Next, at GitHub (docs/getting-started.md of changeops has each step):
  1. Create a GitHub App for the gate with the permissions Pull requests: read, Commit
     statuses: write, Issues: write, Members: read (organisation), Contents: read, Metadata:
     read; install it on this repository; set the repository variable CHANGEOPS_APP_ID and the
     secret CHANGEOPS_APP_PRIVATE_KEY.
  2. Merge these files into ${e.branch} (an admin merges the first changeops.yaml: the gate
     cannot approve a policy that is not there yet).
  3. Add a ruleset on ${e.branch}: Require a pull request before merging; Require status
     checks to pass: changeops/cab, with the App as its source (else any workflow can post it);
     Block force pushes. With a merge queue, require changeops/cab there too.
  4. Ask for code owners' review of .github/ and changeops.yaml (CODEOWNERS), so the workflows
     and the policy change only with review.
Then write a change: npx changeops new`}function P(e,t){e.out(JSON.stringify(t,null,2))}export{Ze as initCommand,be as initHelp,ve as initOptions,$e as nextSteps};
