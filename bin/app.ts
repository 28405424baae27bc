#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ConsentLineStack } from '../lib/consentline-stack';

const app = new App();
new ConsentLineStack(app, 'ConsentLine', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
