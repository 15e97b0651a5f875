import {
  computedImpact,
  openNewChange,
  prepareNewChange,
  suggestSchedule,
  writeNewChange,
  type NewChangeSession,
} from '../app/new-change.js';
import type { Finding } from '../records/finding.js';
import type { Level } from '../records/level.js';
import type { ChangeType } from '../records/policy.js';
import { closest, show } from '../records/wording.js';
import type { NewChangeRecord } from '../render/change-record.js';
import { oneLine } from '../render/terminal.js';
import { formatInstant, HOUR, MINUTE, parseDateBound } from '../rules/time.js';
import type { Command } from './command.js';
import { exitCodes, formatFinding, type Io } from './output.js';
import { UsageError } from './usage-error.js';

/** Help for `changeops new`. */
export const newHelp = `Usage: changeops new [--type T] [--template ID] [--title TEXT] [--cis A,B] [--reason TEXT]
                     [--risk LIKELIHOOD/IMPACT] [--implementation TEXT] [--test TEXT]
                     [--backout TEXT] [--start TIME --end TIME | --duration D]
                     [--requester LOGIN] [--stakeholders @A,@B] [--release ID] [--draft]
                     [--now TIME] [--yes] [--dir DIR] [--json]

Writes a new change record, changes/CHG-<next>-<title>.yaml, with the next free id. On a
terminal it asks for what the options do not give (Tab completes CI ids from the CMDB);
anywhere else, or with --yes, it asks nothing, so every question is also an option for scripts
and CI. Without --start it suggests the first slot check would accept: after the policy's lead
time for the type (and a day more), inside a maintenance window that applies to the change,
clear of freezes and of pending changes it would collide with.

Before writing, the record is judged as changeops check judges it, in the records it joins; an
error-level finding (a missing plan, an understated impact, a schedule outside the windows) is
printed with the option that fixes it, and nothing is written (exit 1). --draft writes a draft,
which the evaluation rules leave alone until it is proposed. An id that appeared meanwhile
(another changeops new, a pull) is never overwritten: the command refuses (exit 1).

Options:
  --type T             standard, normal (default) or emergency
  --template ID        a standard change's template (changeops.yaml templates)
  --title TEXT         what the change does, in one line (the file name follows it)
  --cis A,B            the CIs it touches directly, ids from the CMDB
  --reason TEXT        why it is needed, and what happens if it is not approved
  --risk L/I           likelihood/impact, each low, medium or high (low/high); the impact may
                       not be lower than the CMDB's (asked with that as the default)
  --implementation, --test, --backout TEXT
                       the plan: the steps, how it was tested, how to undo it
  --start, --end TIME  the schedule, RFC 3339 with a zone (2027-02-01T22:00:00Z)
  --duration D         how long the suggested slot lasts: 90m, 2h, 1h30m (default 1h)
  --requester LOGIN    the GitHub login of the initiator (default: $GITHUB_ACTOR)
  --stakeholders L     teams and people to tell, @org/team or @login, comma-separated
  --release ID         the release it ships in (REL-...)
  --draft              write it as a draft (status: draft) rather than proposed
  --now TIME           suggest and judge as of this RFC 3339 time instead of now
  --yes                ask nothing, even on a terminal
  --dir DIR            the repository root (default: the current directory)
  --json               print {"ok", "id", "file", "schedule", "findings"}

Exit codes: 0 written, 1 not written (a finding at error level, or the id is taken), 2 usage
error (a bad option, an unknown CI, DIR holds no records).`;

/** The options `new` adds to the common ones. */
export const newOptions = {
  type: { type: 'string' },
  template: { type: 'string' },
  title: { type: 'string' },
  cis: { type: 'string' },
  reason: { type: 'string' },
  risk: { type: 'string' },
  implementation: { type: 'string' },
  test: { type: 'string' },
  backout: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  duration: { type: 'string' },
  requester: { type: 'string' },
  stakeholders: { type: 'string' },
  release: { type: 'string' },
  draft: { type: 'boolean', default: false },
  now: { type: 'string' },
  yes: { type: 'boolean', default: false },
} as const;

type Values = Record<string, string | boolean | undefined>;

const types: readonly ChangeType[] = ['standard', 'normal', 'emergency'];
const levels: readonly Level[] = ['low', 'medium', 'high'];

/** The option that sets a field, for a finding about it. */
const optionOf: Record<string, string> = {
  title: '--title',
  type: '--type',
  template: '--template',
  requester: '--requester',
  stakeholders: '--stakeholders',
  cis: '--cis',
  reason: '--reason',
  risk: '--risk',
  'plan.implementation': '--implementation',
  'plan.test': '--test',
  'plan.backout': '--backout',
  schedule: '--start and --end',
  release: '--release',
};

/** The `new` entry of the CLI's command table. */
export const newCommand: Command = {
  help: newHelp,
  options: newOptions,
  run: async ({ values, positionals, dir }, io) => {
    if (positionals.length > 0)
      throw new UsageError(`new takes no arguments, not ${positionals.join(' ')}`);
    const now = typeof values.now === 'string' ? instant('--now', values.now) : Date.now();
    const duration = typeof values.duration === 'string' ? durationOf(values.duration) : HOUR;
    const ask = values.yes === true ? undefined : io.ask;
    const session = openNewChange(dir);
    const record = await gather(session, values, { now, duration, ask, io });
    const json = values.json === true;
    let prepared = prepareNewChange(session, record, new Date(now));
    let errors = prepared.findings.filter((finding) => finding.severity === 'error');
    let printed = false;
    if (errors.length > 0 && ask && record.status === 'proposed') {
      for (const finding of errors) io.err(withOption(finding));
      printed = true;
      const answer = await ask('Write it as a draft, to finish later? [y/N] ');
      if (/^y(es)?$/i.test(answer)) {
        record.status = 'draft';
        prepared = prepareNewChange(session, record, new Date(now));
        errors = prepared.findings.filter((finding) => finding.severity === 'error');
        printed = false;
      }
    }
    if (errors.length > 0) {
      if (json) printResult(io, { ok: false, record, file: null, findings: prepared.findings });
      else {
        if (!printed) for (const finding of errors) io.err(withOption(finding));
        io.err(`not written: ${prepared.path} would not pass changeops check`);
      }
      return exitCodes.failed;
    }
    const outcome = writeNewChange(session, prepared, record.id);
    if ('refused' in outcome) {
      const message = `${record.id} is taken meanwhile (${outcome.refused}); nothing was written, run changeops new again for the next free id`;
      if (json) printResult(io, { ok: false, record, file: null, findings: [], message });
      else io.err(message);
      return exitCodes.failed;
    }
    if (json) {
      printResult(io, { ok: true, record, file: outcome.written, findings: prepared.findings });
      return exitCodes.ok;
    }
    for (const finding of prepared.findings) io.err(formatFinding(finding));
    io.out(`wrote ${outcome.written} (${record.id}, ${record.type}, ${record.status})`);
    if (record.schedule) io.out(`  scheduled ${record.schedule.start} to ${record.schedule.end}`);
    io.out(
      'next: commit it with the code it describes and open a pull request; changeops check --base main shows what the pull request will be told',
    );
    return exitCodes.ok;
  },
};

interface Gathering {
  now: number;
  duration: number;
  ask: Io['ask'];
  io: Io;
}

/** Every field from its option, else (on a terminal) from a question, else its default. */
async function gather(
  session: NewChangeSession,
  values: Values,
  { now, duration, ask, io }: Gathering,
): Promise<NewChangeRecord> {
  const given = (name: string) =>
    typeof values[name] === 'string' ? (values[name] as string).trim() : undefined;
  const question = async (name: string, text: string, fallback = '', offered?: string[]) => {
    const value = given(name);
    if (value !== undefined || !ask) return value ?? fallback;
    const answer = await ask(`${text}${fallback ? ` [${fallback}]` : ''}: `, offered);
    return answer || fallback;
  };
  /** Asks again on a terminal until `parse` accepts the answer; an option is parsed once. */
  const parsed = async <T>(
    name: string,
    text: string,
    parse: (raw: string) => T,
    fallback = '',
    offered?: string[],
  ): Promise<T> => {
    for (;;) {
      const raw = await question(name, text, fallback, offered);
      try {
        return parse(raw);
      } catch (error) {
        if (!(error instanceof UsageError) || !ask || given(name) !== undefined) throw error;
        io.err(error.message);
      }
    }
  };

  const type = await parsed('type', `Type (${types.join(', ')})`, typeOf, 'normal');
  const template =
    type === 'standard'
      ? await parsed(
          'template',
          `Template (${session.templates.join(', ') || 'the policy has none'})`,
          (raw) => templateOf(raw, session),
          '',
          session.templates,
        )
      : given('template');
  const title = await parsed('title', 'Title', (raw) => required(raw, '--title', 'a title'));
  const cis = await parsed(
    'cis',
    'CIs (comma-separated, Tab completes)',
    (raw) => cisOf(raw, session),
    '',
    session.ciIds,
  );
  const reason = await question('reason', 'Reason (why, and what if it is not approved)');
  const impact = computedImpact(session, cis);
  const likelihood =
    given('risk') === undefined && ask
      ? await parsed(
          'likelihood',
          'Likelihood of failure (low, medium, high)',
          (raw) => levelOf(raw, 'likelihood'),
          'medium',
        )
      : undefined;
  const risk =
    likelihood !== undefined
      ? {
          likelihood,
          impact: await parsed(
            'impact',
            `Impact of a failure (the CMDB says at least ${impact})`,
            (raw) => levelOf(raw, 'impact'),
            impact,
          ),
        }
      : given('risk') !== undefined
        ? riskOf(given('risk')!)
        : undefined;
  const implementation = await question('implementation', 'Implementation plan (the steps)');
  const test = await question('test', 'Test plan (how it was tested, how it is verified)');
  const backout = await question('backout', 'Back-out plan (how to undo it)');
  const schedule = await scheduleOf(
    session,
    values,
    { type, cis, now, duration, ask, io },
    question,
  );
  const requester = await parsed(
    'requester',
    'Requester (your GitHub login)',
    (raw) => required(raw.replace(/^@/, ''), '--requester', 'the GitHub login of the requester'),
    process.env.GITHUB_ACTOR ?? '',
  );
  const stakeholders = given('stakeholders')
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const plan = {
    ...(implementation ? { implementation } : {}),
    ...(test ? { test } : {}),
    ...(backout ? { backout } : {}),
  };
  const release = given('release');
  return {
    id: session.nextId,
    title,
    type,
    status: values.draft === true ? 'draft' : 'proposed',
    ...(template ? { template } : {}),
    requester,
    ...(stakeholders?.length ? { stakeholders } : {}),
    cis,
    ...(reason ? { reason } : {}),
    ...(risk ? { risk } : {}),
    ...(Object.keys(plan).length ? { plan } : {}),
    ...(schedule ? { schedule } : {}),
    ...(release ? { release } : {}),
  };
}

/** The schedule from --start/--end, else the suggested slot (accepted or changed on a terminal). */
async function scheduleOf(
  session: NewChangeSession,
  values: Values,
  request: { type: ChangeType; cis: string[]; now: number; duration: number } & Gathering,
  question: (name: string, text: string, fallback?: string) => Promise<string>,
): Promise<{ start: string; end: string } | undefined> {
  const { io, duration } = request;
  let start = typeof values.start === 'string' ? instant('--start', values.start) : undefined;
  let end = typeof values.end === 'string' ? instant('--end', values.end) : undefined;
  if (end !== undefined && start === undefined)
    throw new UsageError('--end needs --start (or leave both out for the suggested slot)');
  if (start === undefined) {
    const suggestion = suggestSchedule(session, request);
    if ('none' in suggestion) {
      io.err(`note: no schedule suggested: ${suggestion.none}`);
    } else {
      const why = suggestion.constraints.length ? ` (${suggestion.constraints.join(', ')})` : '';
      const from = formatInstant(suggestion.period.start);
      const to = formatInstant(suggestion.period.end);
      if (!request.ask) io.err(`note: scheduled in the first free slot${why}: ${from} to ${to}`);
      else io.err(`The first free slot${why} is ${from} to ${to}.`);
      start = instant('--start', await question('start', 'Start', from));
      const suggestedEnd = start === suggestion.period.start ? to : formatInstant(start + duration);
      end = instant('--end', await question('end', 'End', suggestedEnd));
    }
  }
  if (start === undefined) return undefined;
  end ??= start + duration;
  if (end <= start)
    throw new UsageError(
      `--end (${formatInstant(end)}) is not after --start (${formatInstant(start)})`,
    );
  return { start: formatInstant(start), end: formatInstant(end) };
}

function required(raw: string, option: string, what: string): string {
  if (raw === '') throw new UsageError(`${option} is needed: ${what}`);
  return raw;
}

function typeOf(raw: string): ChangeType {
  if ((types as readonly string[]).includes(raw)) return raw as ChangeType;
  const guess = closest(raw, types);
  throw new UsageError(
    `--type is ${show(raw)}; use ${types.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`,
  );
}

function templateOf(raw: string, session: NewChangeSession): string {
  if (session.templates.includes(raw)) return raw;
  if (session.templates.length === 0)
    throw new UsageError('a standard change needs a template, and changeops.yaml has none');
  const guess = closest(raw, session.templates);
  throw new UsageError(
    `${raw ? `--template is ${show(raw)}, which is not a template of changeops.yaml` : 'a standard change needs --template'}; the templates are: ${session.templates.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`,
  );
}

function cisOf(raw: string, session: NewChangeSession): string[] {
  const ids = [
    ...new Set(
      raw
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
  if (ids.length === 0)
    throw new UsageError('--cis is needed: the CIs the change touches, ids from the CMDB');
  const known = new Set(session.ciIds);
  for (const id of ids) {
    if (known.has(id)) continue;
    const guess = closest(id, session.ciIds);
    throw new UsageError(
      `${show(id)} is not a CI of the CMDB${guess ? `; did you mean ${guess}?` : session.ciIds.length ? '' : ' (cmdb/ holds none yet)'}`,
    );
  }
  return ids;
}

function levelOf(raw: string, what: string): Level {
  if ((levels as readonly string[]).includes(raw)) return raw as Level;
  throw new UsageError(`the ${what} is ${show(raw)}; use low, medium or high`);
}

function riskOf(raw: string): { likelihood: Level; impact: Level } {
  const [likelihood, impact, ...rest] = raw.split('/').map((part) => part.trim());
  if (rest.length > 0 || likelihood === undefined || impact === undefined)
    throw new UsageError(`--risk is ${show(raw)}; write likelihood/impact, such as low/high`);
  return { likelihood: levelOf(likelihood, 'likelihood'), impact: levelOf(impact, 'impact') };
}

function instant(option: string, raw: string): number {
  const ms = /T/i.test(raw) ? parseDateBound(raw, 'start') : undefined;
  if (ms === undefined)
    throw new UsageError(
      `${option} ${show(raw)} is not a date and time with a zone like 2027-02-01T22:00:00Z`,
    );
  return ms;
}

function durationOf(raw: string): number {
  const match = /^(?:(\d{1,3})h)?(?:(\d{1,4})m)?$/.exec(raw.trim());
  const ms = match ? Number(match[1] ?? 0) * HOUR + Number(match[2] ?? 0) * MINUTE : 0;
  if (!match || ms <= 0)
    throw new UsageError(`--duration is ${show(raw)}; write it as 90m, 2h or 1h30m`);
  return ms;
}

/** A finding as check prints it, with the option that sets the field it is about. */
function withOption(finding: Finding): string {
  const field = finding.field?.replace(/\[\d+\]$/, '').replace(/^(risk|schedule)\..*$/, '$1');
  const option = field ? optionOf[field] : undefined;
  return `${formatFinding(finding)}${option ? ` (set it with ${option})` : ''}`;
}

function printResult(
  io: Io,
  result: {
    ok: boolean;
    record: NewChangeRecord;
    file: string | null;
    findings: readonly Finding[];
    message?: string;
  },
): void {
  io.out(
    JSON.stringify(
      {
        ok: result.ok,
        id: result.record.id,
        file: result.file,
        status: result.record.status,
        schedule: result.record.schedule ?? null,
        findings: result.findings.map((finding) => ({
          ...finding,
          message: oneLine(finding.message),
        })),
        ...(result.message ? { message: result.message } : {}),
      },
      null,
      2,
    ),
  );
}
