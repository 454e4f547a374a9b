/** The local platform config the unit tests synthesize tenants with (the addresses of a default start). */
import { localPlatformConfig } from '../../src/config/local-platform-config';

export const TEST_LOCAL_CONFIG = localPlatformConfig({
  userPoolId: 'local_Abc123',
  appClientId: 'abcdefghij0123456789',
  issuerUrl: 'http://10.203.0.1:9229/local_Abc123',
  publicOrigin: 'http://10.203.0.2:8080',
  edgeAddress: '10.203.0.2',
  allowedEmailDomains: ['example.com'],
  gitRepoUrl: 'http://127.0.0.1:9418/gitops.git',
}).config;
