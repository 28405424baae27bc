#!/usr/bin/env node
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConsentLineStack } from '../lib/consentline-stack';
import { ConsoleSiteStack } from '../lib/console-site';
import { ConsentLineEdgeWafStack } from '../lib/edge';

const app = new App();
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
// CloudFront takes only a us-east-1 web ACL: with the app elsewhere, deploy ConsentLineEdgeWaf
// first and pass its WebAclArn output here (README, "Deploy").
new ConsentLineEdgeWafStack(app, 'ConsentLineEdgeWaf', { env: { account: env.account } });
const api = new ConsentLineStack(app, 'ConsentLine', {
  env,
  publicBaseUrl: process.env.CONSENTLINE_PUBLIC_BASE_URL,
  webAclArn: process.env.CONSENTLINE_WEB_ACL_ARN,
});
new ConsoleSiteStack(app, 'ConsentLineConsole', { env, apiEndpoint: api.stateless.apiEndpoint });
// cdk-nag's AWS Solutions rules: an unsuppressed error fails the synth.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
