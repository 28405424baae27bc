#!/usr/bin/env node
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConsentLineStack } from '../lib/consentline-stack';
import { ConsoleSiteStack } from '../lib/console-site';

const app = new App();
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
const api = new ConsentLineStack(app, 'ConsentLine', {
  env,
  publicBaseUrl: process.env.CONSENTLINE_PUBLIC_BASE_URL,
});
new ConsoleSiteStack(app, 'ConsentLineConsole', { env, apiEndpoint: api.stateless.apiEndpoint });
// cdk-nag's AWS Solutions rules: an unsuppressed error fails the synth.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
