#!/usr/bin/env node
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConsentLineStack } from '../lib/consentline-stack';
import { ConsentLineEdgeWafStack } from '../lib/edge';

const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT;
// CloudFront takes only a us-east-1 web ACL: with the app elsewhere, deploy ConsentLineEdgeWaf
// first and pass its WebAclArn output here (README, "Deploy").
new ConsentLineEdgeWafStack(app, 'ConsentLineEdgeWaf', { env: { account } });
new ConsentLineStack(app, 'ConsentLine', {
  env: { account, region: process.env.CDK_DEFAULT_REGION },
  publicBaseUrl: process.env.CONSENTLINE_PUBLIC_BASE_URL,
  webAclArn: process.env.CONSENTLINE_WEB_ACL_ARN,
});
// cdk-nag's AWS Solutions rules: an unsuppressed error fails the synth.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
