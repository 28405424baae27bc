/** One Allow statement of an identity policy in a synthesized template, with where it came from. */
export type AllowStatement = {
  /** Logical id of the AWS::IAM::Policy / ManagedPolicy / Role holding it. */
  policy: string;
  /** Logical ids of the roles it is attached to. */
  roles: string[];
  actions: string[];
  resources: unknown[];
  /** NotAction / NotResource: allows more than it lists, so it is treated as allowing everything. */
  negated: boolean;
};

type Resource = { Type: string; Properties?: Record<string, unknown> };
type Statement = {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
};

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every Allow statement of every identity policy (standalone, managed or inline in a role). */
export function allowStatements(resources: Record<string, Resource>): AllowStatement[] {
  const found: AllowStatement[] = [];
  const collect = (policy: string, roles: string[], document: unknown) => {
    for (const statement of list((document as { Statement?: Statement | Statement[] })?.Statement)) {
      if (statement.Effect !== 'Allow') continue;
      found.push({
        policy,
        roles,
        actions: list(statement.Action ?? statement.NotAction),
        resources: statement.NotResource !== undefined ? ['*'] : list(statement.Resource),
        negated: statement.NotAction !== undefined || statement.NotResource !== undefined,
      });
    }
  };
  for (const [id, resource] of Object.entries(resources)) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      collect(id, referencedIds(properties.Roles), properties.PolicyDocument);
    } else if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of list(properties.Policies as { PolicyDocument: unknown }[] | undefined)) {
        collect(id, [id], inline.PolicyDocument);
      }
    }
  }
  return found;
}

/** Logical ids an intrinsic expression points at (`Ref`, `Fn::GetAtt`), however deeply nested. */
export function referencedIds(expression: unknown): string[] {
  if (Array.isArray(expression)) return expression.flatMap(referencedIds);
  if (typeof expression !== 'object' || expression === null) return [];
  const object = expression as Record<string, unknown>;
  if (typeof object.Ref === 'string') return object.Ref.startsWith('AWS::') ? [] : [object.Ref];
  const getAtt = object['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return [getAtt[0]];
  return Object.values(object).flatMap(referencedIds);
}

/**
 * Whether a statement's resource may cover the table `tableId`: it names the table (or one of
 * its indexes), or it is a wildcard that names no table at all (`*`, `arn:…:table/*`).
 */
export function coversTable(resource: unknown, tableId: string, allTableIds: readonly string[]): boolean {
  const ids = referencedIds(resource);
  if (ids.includes(tableId)) return true;
  if (ids.some((id) => allTableIds.includes(id))) return false;
  return JSON.stringify(resource).includes('*');
}

/** Whether an IAM action pattern (`dynamodb:*`, `dynamodb:Update*`, `*`) matches `action`; case-insensitive like IAM. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return regex.test(action);
}

/**
 * Statements that allow one of `forbidden` on the table `tableId`: a listed action, a wildcard
 * that matches one, or a NotAction statement (which allows everything it does not list).
 */
export function grantsOnTable(
  statements: readonly AllowStatement[],
  tableId: string,
  allTableIds: readonly string[],
  forbidden: readonly string[],
): { statement: AllowStatement; actions: string[] }[] {
  return statements.flatMap((statement) => {
    if (!statement.resources.some((resource) => coversTable(resource, tableId, allTableIds))) return [];
    const actions = forbidden.filter((action) =>
      statement.negated
        ? !statement.actions.some((pattern) => actionMatches(pattern, action))
        : statement.actions.some((pattern) => actionMatches(pattern, action)),
    );
    return actions.length > 0 ? [{ statement, actions }] : [];
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
