import { newTenantRecord } from '@openclaw-tenancy/shared';
import {
  EXAMPLE_PLATFORM_CONFIG,
  OpenClawSchemaValidator,
  loadPlatformConfigFile,
  renderOpenClawConfig,
} from '@openclaw-tenancy/tenant-manifests';
import { LocalModelConfigError, OPENCLAW_CONFIG_KEY, localModelOverlay, withLocalModelStandIn } from '../src/model/local-model-config';

const ENDPOINT = 'http://10.203.0.1:4600/v1';
const tenantConfig = (): string =>
  renderOpenClawConfig({
    record: newTenantRecord({
      id: 'alice',
      owner: 'alice-owner-0001',
      tier: 'standard',
      runtime: 'runc',
      createdAt: new Date('2026-12-01T00:00:00Z'),
    }),
    config: loadPlatformConfigFile(EXAMPLE_PLATFORM_CONFIG),
  });

describe('the local model stand-in in a tenant config', () => {
  it('gives the gateway the stand-in as its only model provider and primary model, in a config OpenClaw’s schema accepts', () => {
    const local = JSON.parse(withLocalModelStandIn(tenantConfig(), ENDPOINT));
    expect(local.agents.defaults.model).toEqual({ primary: 'local-stand-in/scripted', fallbacks: [] });
    expect(Object.keys(local.models.providers)).toEqual(['local-stand-in']);
    expect(local.models.providers['local-stand-in']).toMatchObject({ baseUrl: ENDPOINT, api: 'openai-completions' });
    expect(local.models.mode).toBe('replace');
    expect(new OpenClawSchemaValidator().validate(local)).toEqual([]);
  });

  it('changes nothing else: gateway, auth, tools, secrets and the other agent defaults keep the ConfigMap’s values', () => {
    const original = JSON.parse(tenantConfig());
    const local = JSON.parse(withLocalModelStandIn(tenantConfig(), ENDPOINT));
    for (const key of Object.keys(original).filter((k) => k !== 'models' && k !== 'agents')) expect(local[key]).toEqual(original[key]);
    expect(Object.keys(local)).toEqual(Object.keys(original));
    const { model: _m, models: _ms, ...otherDefaults } = original.agents.defaults;
    expect(local.agents.defaults).toMatchObject(otherDefaults);
    expect(local.tools.exec.security).toBe('deny');
    expect(local.gateway.auth.trustedProxy.allowLoopback).toBe(false);
  });

  it('applies only to the gateway config file of the tenant’s own ConfigMap', () => {
    const overlay = localModelOverlay(ENDPOINT);
    const config = tenantConfig();
    expect(overlay('alice', 'openclaw-config', OPENCLAW_CONFIG_KEY, config)).not.toBe(config);
    expect(overlay('alice', 'openclaw-config', 'secret-provider.mjs', 'script')).toBe('script');
    expect(overlay('alice', 'other-config', OPENCLAW_CONFIG_KEY, config)).toBe(config);
  });

  it('fails if the ConfigMap’s file is not a JSON object, saying which file', () => {
    expect(() => withLocalModelStandIn('{ json5: "comments", // x\n}', ENDPOINT)).toThrow(LocalModelConfigError);
    expect(() => withLocalModelStandIn('{ json5: 1 }', ENDPOINT)).toThrow(/the ConfigMap's openclaw.json is not JSON/);
    expect(() => withLocalModelStandIn('[]', ENDPOINT)).toThrow("the ConfigMap's openclaw.json must be a JSON object");
  });

  it('fails if the endpoint is not a plain http URL without credentials', () => {
    expect(() => withLocalModelStandIn(tenantConfig(), 'not a url')).toThrow('model stand-in endpoint "not a url" is not a URL');
    expect(() => withLocalModelStandIn(tenantConfig(), 'http://user:pw@10.203.0.1:4600/v1')).toThrow(
      /must be a plain http:\/\/ URL without credentials/,
    );
    expect(() => withLocalModelStandIn(tenantConfig(), 'file:///etc/passwd')).toThrow(/must be a plain http:\/\/ URL/);
  });
});
