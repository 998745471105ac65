import type { z } from 'zod';
import { AppError } from '../errors.ts';

/**
 * The case kernel's pure half: a case type (a dossier, a difficulty, a test ticket) is a set of action
 * definitions, each complete in one place: the states it starts from, who may take it, its input schema,
 * its guard, its decision (what the event records, due dates included), its fold into the state, the forms
 * it makes available and the fields of its dialog. The lookup tables the app needs (names, from-states,
 * roles, inputs, dialogs) are derived from the definitions; an action missing a part does not compile.
 */

/** Who caused an event: an officer's account id, or a citizen's, with the role they acted in. */
export type CaseActor<Role extends string = string> = { id: number; role: Role };

export type CaseEvent<Type extends string, Data, Role extends string = string> = {
  type: Type;
  /** ISO instant (Vietnam time) of the fact. */
  at: string;
  actor: CaseActor<Role>;
  data: Data;
};

/** What every case's state has: its state name, the number of its events, the forms it has grounds for. */
export type BaseCaseState = { state: string; version: number; forms: readonly string[] };

/** One input of an action's dialog in the web app: a field of the input schema, how to ask for it. */
export type DialogField<Name extends string = string> = { name: Name; kind: DialogFieldKind; label: string };

export type DialogFieldKind =
  | 'note'
  | 'reasons'
  | 'reason'
  | 'components'
  | 'date'
  | 'datetime'
  | 'assignee'
  | 'assigneeOptional'
  | 'amount'
  | 'text'
  | 'days'
  | 'recipient'
  | 'method';

/** Who may take an action: a list of roles, or a rule on the state (e.g. the role of the current step). */
export type RoleRule<S, Rules, Role extends string> = {
  /** Shown in refusals: the roles, or what the rule says. */
  label: readonly Role[] | string;
  may: (s: S, role: Role, rules: Rules) => boolean;
};

export type ActionDefinition<
  S extends BaseCaseState,
  Rules,
  Ctx extends Rules,
  Role extends string,
  Form extends string,
  I extends z.ZodObject,
  D,
> = {
  /** The action's name in Vietnamese, as officers and citizens read it. */
  name: string;
  from: readonly S['state'][];
  roles: readonly Role[] | RoleRule<S, Rules, Role>;
  input: I;
  /** Rules on top of the from-states (counts, steps); a reason in Vietnamese when the action may not go ahead. */
  guard: ((s: S, rules: Rules) => string | null) | null;
  /** Validates what depends on the state and the moment, and computes what the event records. */
  decide: (s: S, input: z.output<I>, ctx: Ctx) => D;
  /** The event folded into the state (version and forms are the kernel's). */
  fold: (s: S, e: CaseEvent<string, D, Role>) => S;
  /** The printed forms this action gives the case grounds for. */
  forms: readonly Form[];
  /** The fields the web app's dialog asks for, in order: names of the input schema. */
  dialog: readonly DialogField<Extract<keyof z.output<I>, string>>[];
};

/** A definition of any input and data, for the derived tables. */
export type AnyAction<
  S extends BaseCaseState,
  Rules,
  Ctx extends Rules,
  Role extends string,
  Form extends string,
> = ActionDefinition<
  S,
  Rules,
  Ctx,
  Role,
  Form,
  // biome-ignore lint/suspicious/noExplicitAny: each action's input is its own
  any,
  // biome-ignore lint/suspicious/noExplicitAny: each action's data is its own
  any
>;

/** The builder of one case type's actions: infers each action's input and data from its own parts. */
export function actionBuilder<
  S extends BaseCaseState,
  Rules,
  Ctx extends Rules,
  Role extends string,
  Form extends string,
>() {
  return <I extends z.ZodObject, D>(def: ActionDefinition<S, Rules, Ctx, Role, Form, I, D>) => def;
}

/** The data an action's events carry. */
export type DataOf<A> = A extends { decide: (...args: never[]) => infer D } ? D : never;
/** The input an action takes. */
export type InputOf<A> = A extends { input: infer I extends z.ZodType } ? z.output<I> : never;

/** The typed union of a case type's action events: the type names the action, the data is its own. */
export type ActionEventOf<Defs, Role extends string> = {
  [K in keyof Defs & string]: CaseEvent<K, DataOf<Defs[K]>, Role>;
}[keyof Defs & string];

export type CaseTypeSpec<
  S extends BaseCaseState,
  Rules,
  Ctx extends Rules,
  Role extends string,
  Form extends string,
  Defs extends Record<string, AnyAction<S, Rules, Ctx, Role, Form>>,
  CreateInput,
  CreateData,
  CreateType extends string = string,
> = {
  /** The entity name in the audit log and the outbox ('dossier', 'difficulty'). */
  kind: string;
  /** Bumped whenever the state's shape changes: a stored snapshot of another version is rebuilt from events. */
  snapshotVersion: number;
  stateNames: Record<S['state'], string>;
  /** Validates a stored snapshot when it is read. */
  stateSchema: z.ZodType<S>;
  actions: Defs;
  /** The first event: decided from the creation's input, folded into the first state. */
  create: {
    decide: (input: CreateInput, ctx: Ctx) => CreateData;
    fold: (e: CaseEvent<CreateType, CreateData, Role>) => S;
  };
  /** The role the decision context acts in. */
  roleOf: (ctx: Ctx) => Role;
  /** The actor an event names. */
  actorOf: (ctx: Ctx) => CaseActor<Role>;
  /** The instant of the decision. */
  nowOf: (ctx: Ctx) => string;
  /** After every fold (e.g. the national status code that follows the state). */
  finish?: (s: S) => S;
  /** The name of the creation event type in the log ('intake' for dossiers). */
  createType: CreateType;
};

export type CaseType<
  S extends BaseCaseState,
  Rules,
  Ctx extends Rules,
  Role extends string,
  Form extends string,
  Defs extends Record<string, AnyAction<S, Rules, Ctx, Role, Form>>,
  CreateInput,
  CreateData,
  CreateType extends string = string,
> = ReturnType<typeof defineCaseType<S, Rules, Ctx, Role, Form, Defs, CreateInput, CreateData, CreateType>>;

/** A case type from its definitions: decisions, folds, refusals and the tables derived from them. */
export function defineCaseType<
  S extends BaseCaseState,
  Rules,
  Ctx extends Rules,
  Role extends string,
  Form extends string,
  Defs extends Record<string, AnyAction<S, Rules, Ctx, Role, Form>>,
  CreateInput,
  CreateData,
  CreateType extends string = string,
>(spec: CaseTypeSpec<S, Rules, Ctx, Role, Form, Defs, CreateInput, CreateData, CreateType>) {
  type Name = keyof Defs & string;
  type ActionEvent = ActionEventOf<Defs, Role>;
  type CreateEvent = CaseEvent<CreateType, CreateData, Role>;
  type Event = CreateEvent | ActionEvent;
  const names = Object.keys(spec.actions) as Name[];
  const finish = spec.finish ?? ((s: S) => s);

  function def(action: Name) {
    const d = spec.actions[action];
    if (!d) throw new Error(`${spec.kind} has no action ${action}`);
    return d;
  }

  function mayRole(s: S, action: Name, role: Role, rules: Rules) {
    const roles = def(action).roles;
    return 'may' in roles ? roles.may(s, role, rules) : (roles as readonly Role[]).includes(role);
  }

  /** 'state' when the state does not allow it, a reason when the guard refuses, null when it may go ahead. */
  function failure(s: S, action: Name, rules: Rules): string | null {
    const d = def(action);
    if (!d.from.includes(s.state)) return 'state';
    return d.guard ? d.guard(s, rules) : null;
  }

  /** The actions the state allows; with a role, only those that role may take. */
  function allowed(s: S, rules: Rules, role: Role | undefined = undefined): Name[] {
    return names.filter(
      (a) => failure(s, a, rules) === null && (role === undefined || mayRole(s, a, role, rules)),
    );
  }

  /** The details a refused action answers with: the state as it is and what may be done now. */
  function describeForConflict(s: S, rules: Rules, role: Role | undefined = undefined) {
    const may = allowed(s, rules, role);
    const extra = s as unknown as { statusCode?: number };
    return {
      params: {
        state: s.state,
        stateName: spec.stateNames[s.state as S['state']],
        current: s.version,
        allowed: may.map((a) => def(a).name).join(', '),
      },
      details: {
        state: s.state,
        ...(extra.statusCode === undefined ? {} : { statusCode: extra.statusCode }),
        version: s.version,
        allowedActions: may,
      },
    };
  }

  /** Throws the right refusal unless the action may be taken now by this role. */
  function assertAllowed(s: S, action: Name, rules: Rules, role: Role) {
    const why = failure(s, action, rules);
    if (why !== null) {
      const { params, details } = describeForConflict(s, rules, role);
      throw new AppError('ACTION_NOT_ALLOWED', { ...params, action: def(action).name }, undefined, {
        ...details,
        reason: why === 'state' ? null : why,
      });
    }
    if (!mayRole(s, action, role, rules)) {
      const roles = def(action).roles;
      throw new AppError('ROLE_NOT_ALLOWED', { action: def(action).name }, undefined, {
        state: s.state,
        allowedRoles: 'label' in roles ? roles.label : roles,
      });
    }
  }

  /** The event of an action taken now: refused unless the state, the guard and the role allow it. */
  function decide<A extends Name>(s: S, action: A, input: InputOf<Defs[A]>, ctx: Ctx): ActionEvent {
    assertAllowed(s, action, ctx, spec.roleOf(ctx));
    const data = def(action).decide(s, input, ctx);
    return { type: action, at: spec.nowOf(ctx), actor: spec.actorOf(ctx), data } as ActionEvent;
  }

  function decideCreate(input: CreateInput, ctx: Ctx): CreateEvent {
    return {
      type: spec.createType,
      at: spec.nowOf(ctx),
      actor: spec.actorOf(ctx),
      data: spec.create.decide(input, ctx),
    };
  }

  function withForms(s: S, forms: readonly string[]): S {
    if (forms.length === 0) return s;
    const all = new Set([...s.forms, ...forms]);
    return { ...s, forms: [...all].sort() };
  }

  /** Folds one event (the decision already checked it). */
  function apply(prev: S | null, e: Event): S {
    if (e.type === spec.createType) {
      if (prev) throw new Error(`${spec.createType} must be the first event`);
      return finish(spec.create.fold(e as CreateEvent));
    }
    if (!prev) throw new Error(`the first event must be the ${spec.createType}`);
    const d = spec.actions[e.type];
    if (!d) throw new Error(`unknown event ${e.type}`);
    const folded = d.fold({ ...prev, version: prev.version + 1 }, e);
    return finish(withForms(folded, d.forms));
  }

  function fold(events: readonly Event[]): S {
    let s: S | null = null;
    for (const e of events) s = apply(s, e);
    if (!s) throw new Error(`a ${spec.kind} has at least its ${spec.createType} event`);
    return s;
  }

  /** The state as stored: the fold's state marked with the snapshot version. */
  function toSnapshot(s: S): S & { snapshotVersion: number } {
    return { ...s, snapshotVersion: spec.snapshotVersion };
  }

  /**
   * A stored snapshot, checked: the state when it is of this version and valid, null when it must be
   * rebuilt from the events (an older version, or a shape that does not validate).
   */
  function readSnapshot(raw: unknown): S | null {
    if (!raw || typeof raw !== 'object') return null;
    const { snapshotVersion, ...rest } = raw as { snapshotVersion?: unknown };
    if (snapshotVersion !== spec.snapshotVersion) return null;
    const parsed = spec.stateSchema.safeParse(rest);
    return parsed.success ? parsed.data : null;
  }

  return {
    kind: spec.kind,
    snapshotVersion: spec.snapshotVersion,
    createType: spec.createType,
    actions: spec.actions,
    roleOf: spec.roleOf,
    /** The action's Vietnamese name. */
    nameOf: (action: Name) => def(action).name,
    allowed,
    describeForConflict,
    assertAllowed,
    decide,
    decideCreate,
    apply,
    fold,
    toSnapshot,
    readSnapshot,
    /** Exposed for the typed event union: `typeof caseType.$event`. */
    $event: undefined as unknown as Event,
    $actionEvent: undefined as unknown as ActionEvent,
  };
}

/** A table of one part of every action, keyed by action: derived, never written by hand. */
export function tableOf<Defs extends Record<string, unknown>, V>(
  defs: Defs,
  pick: (d: Defs[keyof Defs], name: keyof Defs & string) => V,
): { [K in keyof Defs & string]: V } {
  return Object.fromEntries(
    Object.entries(defs).map(([name, d]) => [name, pick(d as Defs[keyof Defs], name)]),
  ) as { [K in keyof Defs & string]: V };
}
