import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Flattens a resolved CloudFormation value the way cdk-nag names findings
 * (`{ Ref: X }` → `<X>`, `{ Fn::GetAtt: [X, Arn] }` → `<X.Arn>`, joins concatenated).
 */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const value = node as Record<string, unknown>;
  if (Array.isArray(value['Fn::Join'])) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (value['Fn::Sub'] !== undefined) return flatten(value['Fn::Sub']);
  if (Array.isArray(value['Fn::GetAtt'])) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value['Fn::ImportValue'] !== undefined) return flatten(value['Fn::ImportValue']);
  if (value.Ref !== undefined) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}

/**
 * Acknowledges one cdk-nag finding per value (`AwsSolutions-IAM5[Resource::…]`,
 * `AwsSolutions-IAM4[Policy::…]`) rather than the whole rule, so any other wildcard added
 * to the same role later still fails synth.
 *
 * @example
 * acknowledgeFindings(role, 'AwsSolutions-IAM5', 'Resource', [arn], 'connection ids are runtime values');
 */
export function acknowledgeFindings(
  scope: IConstruct,
  ruleId: string,
  kind: 'Resource' | 'Action' | 'Policy',
  values: readonly string[],
  reason: string,
): void {
  const stack = Stack.of(scope);
  for (const value of values) {
    Validations.of(scope).acknowledge({ id: `${ruleId}[${kind}::${flatten(stack.resolve(value))}]`, reason });
  }
}
