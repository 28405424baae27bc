import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConsentLineStack } from '../../lib/consentline-stack';

describe('ConsentLineStack', () => {
  it('synthesizes a template tagged for the app', () => {
    const app = new App();

    const stack = new ConsentLineStack(app, 'Test');

    const template = Template.fromStack(stack);
    const assembly = app.synth();

    expect(assembly.stacks.map((s) => s.stackName)).toEqual(['Test']);
    expect(template.toJSON()).toEqual(assembly.getStackByName('Test').template);
  });
});
