import { SchemaValidator, synthesizePlatformObjects } from '../src';
import { clone, exampleConfig, find, objectsOf, tenant } from './fixtures';

const validator = new SchemaValidator();

describe('SchemaValidator (kubeconform -strict, in-process)', () => {
  it('accepts every synthesized tenant and platform object for Kubernetes 1.29 and 1.31', () => {
    const objects = [...objectsOf(), ...objectsOf(tenant('grace', 'large', 'gvisor')), ...synthesizePlatformObjects(exampleConfig)];
    expect(objects.flatMap((o) => validator.validate(o))).toEqual([]);
  });

  it('rejects an unknown field in a built-in kind, at any depth, for both versions', () => {
    const deployment = clone(find(objectsOf(), 'Deployment'));
    deployment.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    const issues = validator.validate(deployment);
    expect(issues.map((i) => i.kubernetesVersion)).toEqual(['1.29.0', '1.31.0']);
    expect(issues[0]).toMatchObject({
      object: 'Deployment openclaw-alice/openclaw-gateway',
      path: '/spec/template/spec/containers/0',
      message: 'unknown field "imagePullPolcy"',
    });
  });

  it('rejects wrong types and missing required fields', () => {
    const deployment = clone(find(objectsOf(), 'Deployment'));
    deployment.spec.replicas = 'one';
    delete deployment.spec.template.spec.containers[0].name;
    const messages = validator.validate(deployment).map((i) => `${i.path} ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        '/spec/replicas must be integer,null',
        "/spec/template/spec/containers/0 must have required property 'name'",
      ]),
    );
  });

  it('rejects unknown fields in CRD specs, at the CRD top level and in CRD metadata', () => {
    const route = clone(find(objectsOf(), 'HTTPRoute'));
    route.spec.hostnmes = ['x'];
    route.bogus = true;
    route.metadata.labelz = {};
    const messages = validator.validate(route, ['1.31.0']).map((i) => `${i.path} ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        '/spec unknown field "hostnmes"',
        '/bogus must NOT have additional properties',
        '/metadata unknown field "labelz"',
      ]),
    );
  });

  it("accepts a custom resource's status only from the API server, and checks it there", () => {
    const route = { ...clone(find(objectsOf(), 'HTTPRoute')), status: { parents: [] } };
    expect(validator.validate(route, ['1.31.0']).map((i) => `${i.path} ${i.message}`)).toEqual([
      '/status must NOT have additional properties',
    ]);
    expect(validator.validate(route, ['1.31.0'], 'api-server')).toEqual([]);
    expect(validator.validate({ ...route, status: { parents: 'none' } }, ['1.31.0'], 'api-server').map((i) => i.path)).toEqual([
      '/status/parents',
    ]);
  });

  it('rejects an enum violation in a CRD', () => {
    const policy = clone(find(objectsOf(), 'SecurityPolicy'));
    policy.spec.authorization.defaultAction = 'Maybe';
    expect(validator.validate(policy, ['1.31.0']).some((i) => i.path === '/spec/authorization/defaultAction')).toBe(true);
  });

  it('treats a kind without a vendored schema as an error, not a skip', () => {
    const issues = validator.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, ['1.31.0']);
    expect(issues).toEqual([expect.objectContaining({ message: expect.stringMatching(/^no schema for example.com\/v1 Widget/) })]);
    expect(validator.validate({ metadata: { name: 'x' } }, ['1.31.0'])[0]?.message).toBe('apiVersion and kind are required');
  });
});
