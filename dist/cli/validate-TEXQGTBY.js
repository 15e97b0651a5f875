import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{b as m}from"./chunk-ASSZPV5B.js";import"./chunk-VA6LTKLW.js";import{g as a,h as l,i,j as c,k as h,m as p}from"./chunk-N3BEXX3M.js";import"./chunk-E73Z34MY.js";var g=`Usage: changeops validate [--dir DIR] [--json]

Checks every record (changeops.yaml, changes/, cmdb/) against its schema and checks integrity:
unique ids, file names that match ids, references that resolve. The policy is checked as check
uses it: rule ids and parameters against the rules changeops has, time zones, freeze dates.
Warns about YAML that looks like records where changeops does not read it (Changes/, change/,
a change file at the root), and notes when there is no changeops.yaml and the defaults apply.
Needs no git and no GitHub. Inside a git repository it keeps an estate snapshot in
.git/changeops/ and, on the next run, parses only the record files changed since; the output is
the same either way.

Options:
  --dir DIR   the repository root (default: the current directory)
  --json      print {"ok", "valid", "policyUsable", "errors", "warnings", "counts", "files",
              "records"} instead of text (schemas/output/validate.schema.json)
  --no-cache  read and parse every record file; no snapshot is read or written

Exit codes: 0 valid, 1 a record is invalid, 2 usage or configuration error (DIR holds no
changeops.yaml, changes/ or cmdb/; changeops.yaml unusable).`;async function u(o,r){let e=await m(o.dir,o.cache===!1?{cache:!1}:{}),n=e.findings.filter(s=>s.severity==="error"),d=e.findings.filter(s=>s.severity!=="error"),{counts:t}=e;if(o.json)h(r,{ok:e.valid&&e.policyUsable,valid:e.valid,policyUsable:e.policyUsable,errors:n.map(c),warnings:d.map(c),counts:t,files:e.files,records:e.records});else{for(let f of e.findings)r.out(l(f));let s=`${e.records} record${e.records===1?"":"s"} in ${e.files} file${e.files===1?"":"s"}`;r.out(e.valid?`✓ ${s}: valid${d.length?` (${i({...t,errors:0}).replace(/^0 errors, /,"")})`:""}`:`✗ ${s}: ${i(t)}`)}return e.policyUsable?e.valid?a.ok:a.failed:a.usage}var k={help:g,options:{"no-cache":{type:"boolean"}},run:({values:o,positionals:r,dir:e},n)=>{if(r.length>0)throw new p(`validate takes no arguments, not ${r.join(" ")}`);return u({dir:e,json:o.json===!0,cache:o["no-cache"]!==!0},n)}};export{u as runValidate,k as validateCommand,g as validateHelp};
