/**
 * `kubectl create priorityclass NAME --value=N [--global-default] [--description=...]
 * [--preemption-policy=...]`: builds the PriorityClass and POSTs it (or prints it with
 * --dry-run=client).
 * Upstream: kubectl v0.34.0 pkg/cmd/create/create_priorityclass.go (NewCmdCreatePriorityClass,
 * PriorityClassOptions.Run, createPriorityClass), pkg/cmd/create/create.go (NameFromCommandArgs)
 */
import { KubectlError, StatusError } from '../client/errors';
import type { KubectlContext, Subcommand } from '../context';
import { printYamlOrJson } from '../printers/output';
import { nameOf } from './get';

type Obj = Record<string, unknown>;

function dryRunOf(ctx: KubectlContext): 'none' | 'client' | 'server' {
  const v = ctx.flags.str('dry-run', 'none');
  if (v === 'none' || v === 'client' || v === 'server') return v;
  throw new KubectlError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

function validationDirective(ctx: KubectlContext): string {
  const v = ctx.flags.str('validate', 'strict');
  const d = v === 'strict' || v === 'true' ? 'Strict' : v === 'warn' ? 'Warn' : v === 'ignore' || v === 'false' ? 'Ignore' : undefined;
  if (!d) throw new KubectlError(`invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`);
  return d;
}

// Upstream: create_priorityclass.go (PriorityClassOptions.Run, createPriorityClass)
async function run(ctx: KubectlContext, args: string[]): Promise<number> {
  if (args.length !== 1) throw new KubectlError(`exactly one NAME is required, got ${args.length}\nSee '${ctx.commandName} create priorityclass -h' for help and examples`);
  const mode = dryRunOf(ctx);
  const query: Record<string, string> = { fieldManager: ctx.flags.str('field-manager') || 'kubectl-create', fieldValidation: validationDirective(ctx) };
  if (mode === 'server') query.dryRun = 'All';
  const pc: Obj = { kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', metadata: { name: args[0] }, value: ctx.flags.int('value', 0) };
  if (ctx.flags.bool('global-default')) pc.globalDefault = true;
  const description = ctx.flags.str('description');
  if (description) pc.description = description;
  pc.preemptionPolicy = ctx.flags.str('preemption-policy') || 'PreemptLowerPriority';
  let out: Obj = pc;
  if (mode !== 'client') {
    try {
      out = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', ...(await ctx.rest.do<Obj>({ verb: 'POST', path: '/apis/scheduling.k8s.io/v1/priorityclasses', query, body: pc })) };
    } catch (err) {
      // fmt.Errorf("%v") flattens the API error: kubectl prints its message, not the Invalid causes.
      if (err instanceof StatusError) throw new KubectlError(`error: failed to create priorityclass: ${err.status.message ?? ''}`);
      throw err;
    }
  }
  const o = ctx.flags.str('output');
  const op = mode === 'client' ? 'created (dry run)' : mode === 'server' ? 'created (server dry run)' : 'created';
  if (o === 'name') ctx.io.print(nameOf(out));
  else if (o === 'yaml' || o === 'json') ctx.io.print(printYamlOrJson(o, out).replace(/\n$/, ''));
  else if (o === '') ctx.io.print(`${nameOf(out)} ${op}`);
  else throw new KubectlError(`unable to match a printer suitable for the output format "${o}", allowed formats are: json,name,yaml`);
  return 0;
}

export const createPriorityClassCommand: Subcommand = {
  name: 'create priorityclass',
  aliases: ['pc'],
  summary: 'Create a priority class with the specified name',
  usage: 'kubectl create priorityclass NAME --value=VALUE --global-default=BOOL [--dry-run=server|client|none]',
  examples: `  # Create a priority class named high-priority
  kubectl create priorityclass high-priority --value=1000 --description="high priority"

  # Create a priority class named default-priority that is considered as the global default priority
  kubectl create priorityclass default-priority --value=1000 --global-default=true --description="default priority"

  # Create a priority class named high-priority that cannot preempt pods with lower priority
  kubectl create priorityclass high-priority --value=1000 --description="high priority" --preemption-policy="Never"`,
  flags: [
    { name: 'value', type: 'int', def: '0', help: 'the value of this priority class.' },
    { name: 'global-default', type: 'bool', help: 'global-default specifies whether this PriorityClass should be considered as the default priority.' },
    { name: 'description', type: 'string', help: 'description is an arbitrary string that usually provides guidelines on when this priority class should be used.' },
    { name: 'preemption-policy', type: 'string', def: 'PreemptLowerPriority', help: 'preemption-policy is the policy for preempting pods with lower priority.' },
    { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (json, yaml, name).', values: ['json', 'yaml', 'name'] },
    { name: 'dry-run', type: 'string', def: 'none', help: 'Must be "none", "server", or "client".', values: ['none', 'server', 'client'] },
    { name: 'validate', type: 'string', def: 'strict', help: 'Must be one of: strict (or true), warn, ignore (or false).' },
    { name: 'field-manager', type: 'string', def: 'kubectl-create', help: 'Name of the manager used to track field ownership.' },
    { name: 'save-config', type: 'bool', help: 'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged.' },
  ],
  run,
};
