import { App } from 'aws-cdk-lib';
import { loadConfig } from '../lib/config.js';
import { definePatchline } from '../lib/patchline.js';

// `cdk synth -c stage=prod -c repositoryUrl=https://github.com/org/patchline`; see README.md.
const app = new App();
definePatchline(
  app,
  loadConfig((key) => app.node.tryGetContext(key)),
);
app.synth();
