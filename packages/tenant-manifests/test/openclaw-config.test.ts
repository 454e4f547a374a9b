import { OWNER_OPERATOR_SCOPES, PlatformConfig } from '@openclaw-tenancy/shared';
import { OpenClawSchemaValidator, WORKSPACE_TOOLS, buildOpenClawConfig, findLocalDefsRoots, renderOpenClawConfig } from '../src';
import { OWNER, clone, exampleConfig, find, objectsOf, tenant } from './fixtures';

// Compiling OpenClaw's 2.4 MB schema takes a few seconds: once per file.
const validator = new OpenClawSchemaValidator();
const config = (record = tenant(), platform: PlatformConfig = exampleConfig) => buildOpenClawConfig({ record, config: platform });

describe('generated OpenClaw config (openclaw 2026.9.6)', () => {
  it.each([
    ['standard', 'runc'],
    ['large', 'gvisor'],
  ] as const)("the %s / %s config is valid against OpenClaw's own schema", (tier, runtime) => {
    expect(validator.validate(config(tenant('alice', tier, runtime)))).toEqual([]);
  });

  it('is exactly what the ConfigMap holds', () => {
    expect(find(objectsOf(), 'ConfigMap').data['openclaw.json']).toBe(renderOpenClawConfig({ record: tenant(), config: exampleConfig }));
  });

  it('authenticates through the edge: trusted-proxy, only the owner, non-admin auto-approved scopes, no loopback', () => {
    const gateway = config().gateway as any;
    expect(gateway.auth.mode).toBe('trusted-proxy');
    expect(gateway.auth.trustedProxy).toEqual({
      userHeader: 'x-openclaw-user',
      requiredHeaders: ['x-forwarded-proto'],
      allowUsers: [OWNER],
      allowLoopback: false,
      deviceAutoApprove: { enabled: true, scopes: [...OWNER_OPERATOR_SCOPES] },
    });
    expect(gateway.auth.trustedProxy.deviceAutoApprove.scopes).not.toContain('operator.admin');
    // The private subnets (where the edge's pods get addresses), not the whole VPC: endpoint and public subnets are out.
    expect(gateway.trustedProxies).toEqual(['10.40.0.0/18', '10.40.64.0/18']);
    expect(gateway.trustedProxies.some((c: string) => c.startsWith('127.'))).toBe(false);
    expect(gateway.auth.token).toBeUndefined();
    expect(gateway.controlUi).toEqual({ enabled: true, basePath: '/t/alice', allowedOrigins: ['https://ai.example.com'] });
    expect(gateway.terminal).toEqual({ enabled: false });
    expect(gateway.bind).toBe('lan');
  });

  it('gives the agent an allowlist of workspace tools, and denies code execution, automation, other machines and other sessions', () => {
    const c = config() as any;
    expect(c.tools.allow).toEqual([...WORKSPACE_TOOLS]);
    expect(c.tools.profile).toBeUndefined();
    // Nothing on the allowlist runs code, reconfigures the gateway or reaches beyond the session.
    for (const tool of [
      'exec',
      'process',
      'code_execution',
      'bash',
      'gateway',
      'cron',
      'sessions_spawn',
      'sessions_send',
      'subagents',
      'browser',
      'terminal',
      'nodes',
      'computer',
      'message',
    ]) {
      expect(c.tools.allow).not.toContain(tool);
    }
    expect(c.tools.deny).toEqual(
      expect.arrayContaining([
        'group:runtime',
        'group:automation',
        'group:nodes',
        'group:ui',
        'sessions_spawn',
        'sessions_send',
        'subagents',
      ]),
    );
    expect(c.tools).toMatchObject({
      fs: { workspaceOnly: true },
      exec: { security: 'deny' },
      elevated: { enabled: false },
      codeMode: false,
      swarm: false,
      agentToAgent: { enabled: false },
      sessions: { visibility: 'self' },
      subagents: { tools: { allow: [] } },
    });
  });

  it("turns off what the pinned release would otherwise start or read on the agent's behalf", () => {
    const c = config() as any;
    expect(c.acp).toEqual({ enabled: false });
    expect(c.gateway.cliAgents).toEqual({ enabled: false });
    // `.openclaw/settings.json` lives in the agent-writable workspace.
    expect(c.agents.defaults.embeddedAgent).toEqual({ projectSettingsPolicy: 'ignore' });
  });

  it('resolves secrets with an absolute, read-only provider outside the workspace', () => {
    const c = config() as any;
    const provider = c.secrets.providers.tenant;
    expect(provider.source).toBe('exec');
    expect(provider.command).toBe('/opt/openclaw/bin/node');
    expect(provider.trustedDirs).toEqual(['/opt/openclaw/bin']);
    expect(provider.args).toEqual(['/etc/openclaw/secret-provider.mjs']);
    for (const p of [provider.command, ...provider.args]) expect(p.startsWith('/home/node/.openclaw')).toBe(false);
    expect(c.gateway.auth.password).toEqual({ source: 'exec', provider: 'tenant', id: 'gateway:operatorPassword' });
    // The config is readable by the tenant (config.get): it must hold references, never values.
    expect(JSON.stringify(c)).not.toMatch(/"password":\s*"/);
  });

  it('uses Bedrock with the catalog model defaults and no discovery', () => {
    const c = config() as any;
    expect(c.agents.defaults.model).toEqual({
      primary: 'amazon-bedrock/us.anthropic.claude-opus-4-6-v1',
      fallbacks: ['amazon-bedrock/us.anthropic.claude-sonnet-4-6', 'amazon-bedrock/deepseek.v3.2'],
    });
    const provider = c.models.providers['amazon-bedrock'];
    expect(provider).toMatchObject({
      api: 'bedrock-converse-stream',
      auth: 'aws-sdk',
      region: 'us-east-1',
      baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com',
    });
    expect(provider.models.map((m: any) => m.id)).toEqual([
      'us.anthropic.claude-opus-4-6-v1',
      'us.anthropic.claude-sonnet-4-6',
      'deepseek.v3.2',
    ]);
    expect(c.models.mode).toBe('replace');
    expect(c.models.catalogRefresh).toEqual({ enabled: false });
  });

  it("invokes models through the tenant's own application inference profiles once the provisioner recorded them", () => {
    const arn = (id: string) => `arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/${id}`;
    const record = { ...tenant(), inferenceProfiles: { opus: arn('p0opus'), sonnet: arn('p0sonnet'), deepseek: arn('p0deep') } };
    const c = config(record) as any;
    expect(c.agents.defaults.model).toEqual({
      primary: `amazon-bedrock/${arn('p0opus')}`,
      fallbacks: [`amazon-bedrock/${arn('p0sonnet')}`, `amazon-bedrock/${arn('p0deep')}`],
    });
    expect(c.agents.defaults.models[`amazon-bedrock/${arn('p0opus')}`]).toEqual({ alias: 'opus' });
    expect(c.models.providers['amazon-bedrock'].models.map((m: any) => [m.id, m.name])).toEqual([
      [arn('p0opus'), 'opus'],
      [arn('p0sonnet'), 'sonnet'],
      [arn('p0deep'), 'deepseek'],
    ]);
    expect(validator.validate(c)).toEqual([]);
  });

  it('contains no retired keys', () => {
    expect(JSON.stringify(config())).not.toContain('dangerouslyDisableDeviceAuth');
  });

  describe('the validator catches what the gateway would refuse (non-compliant fixtures)', () => {
    const mutated = (mutate: (c: any) => void) => {
      const c = clone(config()) as any;
      mutate(c);
      return validator.validate(c);
    };

    it.each([
      ['an unknown key', (c: any) => (c.gateway.controlUi.basepath = '/x'), '/gateway/controlUi', 'additional properties "basepath"'],
      ['a bad enum', (c: any) => (c.tools.exec.security = 'some'), '/tools/exec/security', 'must be equal to one of the allowed values'],
      ['bind 0.0.0.0', (c: any) => (c.gateway.bind = '0.0.0.0'), '/gateway/bind', 'must be equal to constant'],
      [
        'a relative provider command',
        (c: any) => (c.secrets.providers.tenant.command = 'node'),
        '/secrets/providers/tenant/command',
        'absolute path',
      ],
      [
        'the retired device-auth bypass',
        (c: any) => (c.gateway.controlUi.dangerouslyDisableDeviceAuth = true),
        '/gateway/controlUi/dangerouslyDisableDeviceAuth',
        'retired',
      ],
      [
        'a misspelt scope',
        (c: any) => (c.gateway.auth.trustedProxy.deviceAutoApprove.scopes = ['operator.reed']),
        '/gateway/auth/trustedProxy/deviceAutoApprove/scopes/0',
        'unknown operator scope',
      ],
      [
        'the removed bedrockDiscovery key',
        (c: any) => (c.models.bedrockDiscovery = { enabled: true }),
        '/models',
        'additional properties "bedrockDiscovery"',
      ],
    ])('%s', (_what, mutate, path, message) => {
      const issues = mutated(mutate);
      expect(issues.find((i) => i.path === path)?.message).toContain(message);
    });
  });
});

describe('findLocalDefsRoots', () => {
  it('lists embedded subschemas whose $defs have no $id of their own, as escaped JSON pointers', () => {
    const schema = {
      $defs: { atRoot: {} },
      properties: {
        'a/b': { $defs: { x: {} }, properties: { x: { $ref: '#/$defs/x' } } },
        withId: { $id: 'urn:ok', $defs: { y: {} } },
        list: { anyOf: [{ $defs: { z: {} } }] },
      },
    };
    expect(findLocalDefsRoots(schema)).toEqual(['/properties/a~1b', '/properties/list/anyOf/0']);
  });
});
