import type { Template } from 'aws-cdk-lib/assertions';

type Json = unknown;
interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
}

function resources(template: Template): Record<string, CfnResource> {
  return (template.toJSON() as { Resources: Record<string, CfnResource> }).Resources;
}

/** Every `Fn::GetAtt` / `Ref` target inside a value. */
function referencedIds(value: Json, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) referencedIds(item, found);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, Json>;
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') found.push(getAtt[0]);
    if (typeof record.Ref === 'string') found.push(record.Ref);
    for (const child of Object.values(record)) referencedIds(child, found);
  }
  return found;
}

/**
 * The logical id of the Lambda function a route's integration invokes, followed through
 * `Target: integrations/{IntegrationId}` and the integration's `IntegrationUri`.
 */
export function routeTargetFunction(template: Template, routeKey: string): string {
  const all = resources(template);
  const routes = Object.values(all).filter(
    (resource) => resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties?.RouteKey === routeKey,
  );
  if (routes.length !== 1) throw new Error(`expected one route ${routeKey}, found ${routes.length}`);
  const [integrationId] = referencedIds(routes[0]!.Properties?.Target).filter(
    (id) => all[id]?.Type === 'AWS::ApiGatewayV2::Integration',
  );
  if (!integrationId) throw new Error(`route ${routeKey} targets no integration`);
  const functions = referencedIds(all[integrationId]!.Properties?.IntegrationUri).filter(
    (id) => all[id]?.Type === 'AWS::Lambda::Function',
  );
  if (functions.length !== 1)
    throw new Error(`integration of ${routeKey} invokes ${functions.length} functions`);
  return functions[0]!;
}

export interface PolicyStatement {
  readonly policy: string;
  readonly Action: string | string[];
  readonly Resource: Json;
  readonly Effect: string;
}

/** Every statement of every inline IAM policy (AWS::IAM::Policy and role `Policies`). */
export function policyStatements(template: Template): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  for (const [id, resource] of Object.entries(resources(template))) {
    const documents: Json[] = [];
    if (resource.Type === 'AWS::IAM::Policy') documents.push(resource.Properties?.PolicyDocument);
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of (resource.Properties?.Policies as { PolicyDocument: Json }[] | undefined) ?? []) {
        documents.push(policy.PolicyDocument);
      }
    }
    for (const document of documents) {
      for (const statement of (document as { Statement: Omit<PolicyStatement, 'policy'>[] }).Statement) {
        statements.push({ policy: id, ...statement });
      }
    }
  }
  return statements;
}

/** Statements of the policies attached to the role `roleId` (and of its inline policies). */
export function statementsOfRole(template: Template, roleId: string): PolicyStatement[] {
  const all = resources(template);
  return policyStatements(template).filter((statement) => {
    const roles = all[statement.policy]?.Properties?.Roles;
    return statement.policy === roleId || referencedIds(roles).includes(roleId);
  });
}

export const actionsOf = (statement: PolicyStatement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

export const resourcesOf = (statement: PolicyStatement): Json[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** Renders a resolved CloudFormation value as text (`${Ref}` / `${Id.Attr}`) for readable asserts. */
export function render(value: Json): string {
  if (typeof value === 'string') return value;
  const record = value as Record<string, Json>;
  if (Array.isArray(record['Fn::Join'])) {
    const [delimiter, parts] = record['Fn::Join'] as [string, Json[]];
    return parts.map(render).join(delimiter);
  }
  if (Array.isArray(record['Fn::GetAtt'])) return `\${${(record['Fn::GetAtt'] as string[]).join('.')}}`;
  if (typeof record.Ref === 'string') return `\${${record.Ref}}`;
  if (record['Fn::GetStackOutput']) {
    const { StackName, OutputName } = record['Fn::GetStackOutput'] as Record<string, string>;
    return `\${${StackName}.${OutputName}}`;
  }
  return JSON.stringify(value);
}
