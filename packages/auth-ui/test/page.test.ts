import { hostingNote } from '../src/page';

const config = { region: 'eu-west-1', userPoolId: 'eu-west-1_abc', clientId: 'c', origin: 'https://ai.example.com' };

describe('the footer’s hosting note', () => {
  it('names the cloud services on the cloud deployment', () => {
    expect(hostingNote(config)).toBe('Powered by Amazon EKS + Bedrock');
  });

  it('says the site runs offline on this machine, with stand-ins, when its user pool is a local endpoint', () => {
    expect(hostingNote({ ...config, userPoolId: 'local_abc', cognitoEndpoint: 'http://127.0.0.1:9229' })).toBe(
      'Running on this machine, offline: local stand-ins for AWS and for the model',
    );
  });
});
