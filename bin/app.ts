#!/usr/bin/env node
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConsentLineStack } from '../lib/consentline-stack';

const app = new App();
new ConsentLineStack(app, 'ConsentLine', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  publicBaseUrl: process.env.CONSENTLINE_PUBLIC_BASE_URL,
});
// cdk-nag's AWS Solutions rules: an unsuppressed error fails the synth.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
