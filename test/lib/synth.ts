import { App, Aspects } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConsentLineStack } from '../../lib/consentline-stack';

export type Synthesized = { app: App; stack: ConsentLineStack; template: Template };

/**
 * The stack as `bin/app.ts` builds it, with cdk-nag's AwsSolutions checks applied. Bundling is
 * skipped unless `bundle` (then `outdir` receives the assets): templates do not depend on the
 * bundles' contents, and bundling 25 functions takes half a minute.
 */
export function synthesize(options: { bundle?: boolean; outdir?: string } = {}): Synthesized {
  const app = new App({
    outdir: options.outdir,
    context: options.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new ConsentLineStack(app, 'ConsentLine');
  Aspects.of(app).add(new AwsSolutionsChecks());
  const template = Template.fromStack(stack);
  return { app, stack, template };
}
