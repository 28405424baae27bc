import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The ConsentLine deployment: stateful parts (tables, queues) and the functions that use them. */
export class ConsentLineStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    Tags.of(this).add('app', 'consentline');
  }
}
