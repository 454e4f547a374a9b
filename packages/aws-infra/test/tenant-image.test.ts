import * as fs from 'node:fs';
import * as path from 'node:path';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { OPENCLAW_VERSION } from '@openclaw-tenancy/openclaw-runtime';
import { GATEWAY_COMPILE_CACHE_DIR, OPENCLAW_UID, REPOSITORY_ROOT } from '@openclaw-tenancy/tenant-manifests';
import { parseAllDocuments } from 'yaml';
import { BEDROCK_PROVIDER_PLUGIN, TENANT_IMAGE_BUILD_ARGS, TENANT_IMAGE_DIRECTORY } from '../src';
import { synthesizePlatform } from './support/platform';

// No container engine on the build machine: the definition is checked here, the build runs in `cdk deploy`.
const DOCKERFILE = fs.readFileSync(path.join(TENANT_IMAGE_DIRECTORY, 'Dockerfile'), 'utf8');
const instructions = DOCKERFILE.split('\n').filter((l) => /^[A-Z]+\s/.test(l));
const REPO = REPOSITORY_ROOT;

/** The gateway container as the committed GitOps tree runs it (the example's first tenant). */
function gatewayContainer(): { command: string[]; args: string[]; workingDir: string } {
  const docs = parseAllDocuments(fs.readFileSync(path.join(REPO, 'deploy', 'tenants', 'demo-ada', 'manifests.yaml'), 'utf8')).map((d) =>
    d.toJS(),
  );
  const deployment = docs.find((d) => d?.kind === 'Deployment');
  return deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === 'gateway');
}

describe('tenant image definition (images/openclaw-tenant/Dockerfile)', () => {
  test('builds FROM the official image of the OpenClaw release the repository pins, for arm64', () => {
    expect(instructions[0]).toBe('ARG OPENCLAW_VERSION');
    expect(instructions).toContain('FROM --platform=linux/arm64 ghcr.io/openclaw/openclaw:${OPENCLAW_VERSION}');
    expect(TENANT_IMAGE_BUILD_ARGS.OPENCLAW_VERSION).toBe(OPENCLAW_VERSION);
    // and refuses to build anything else
    expect(DOCKERFILE).toContain('test "$(node -p \'require("/app/package.json").version\')" = "${OPENCLAW_VERSION}"');
  });

  test('installs the Bedrock provider plugin at its pinned version, read-only for the gateway user', () => {
    expect(TENANT_IMAGE_BUILD_ARGS).toMatchObject({
      BEDROCK_PROVIDER_PACKAGE: '@openclaw/amazon-bedrock-provider',
      BEDROCK_PROVIDER_VERSION: BEDROCK_PROVIDER_PLUGIN.version,
    });
    expect(DOCKERFILE).toContain('npm pack --silent "${BEDROCK_PROVIDER_PACKAGE}@${BEDROCK_PROVIDER_VERSION}"');
    expect(DOCKERFILE).toContain('chown -R root:root "$dest"');
    expect(DOCKERFILE).toContain('--ignore-scripts');
  });

  test('every build argument the Dockerfile declares is supplied, and nothing else', () => {
    const declared = [...new Set(instructions.filter((l) => l.startsWith('ARG ')).map((l) => l.slice(4).split('=')[0]))].sort();
    expect(declared).toEqual(Object.keys(TENANT_IMAGE_BUILD_ARGS).sort());
  });

  test("warms the gateway's compile cache as its own uid, then leaves it read-only at the path the workload names", () => {
    expect(TENANT_IMAGE_BUILD_ARGS.GATEWAY_COMPILE_CACHE_DIR).toBe(GATEWAY_COMPILE_CACHE_DIR);
    const at = (line: string) => instructions.indexOf(line);
    const warm = at('RUN sh /usr/local/lib/openclaw/warm-compile-cache.sh "${GATEWAY_COMPILE_CACHE_DIR}" /app');
    expect(warm).toBeGreaterThan(at(`USER ${OPENCLAW_UID}:${OPENCLAW_UID}`));
    // The user in effect at the warm-up is the gateway's: Node keys the cache folder by uid.
    expect(
      instructions
        .slice(0, warm)
        .filter((l) => l.startsWith('USER '))
        .pop(),
    ).toBe(`USER ${OPENCLAW_UID}:${OPENCLAW_UID}`);
    expect(at('RUN chown -R root:root "${GATEWAY_COMPILE_CACHE_DIR}" && chmod -R a-w,a+rX "${GATEWAY_COMPILE_CACHE_DIR}"')).toBeGreaterThan(
      warm,
    );
  });

  test('has the layout the tenant workload runs: /app, node dist/index.js gateway run, uid 1000', () => {
    const gateway = gatewayContainer();
    const lastUser = instructions.filter((l) => l.startsWith('USER ')).pop();
    expect(lastUser).toBe(`USER ${OPENCLAW_UID}:${OPENCLAW_UID}`);
    expect(instructions.filter((l) => l.startsWith('WORKDIR ')).pop()).toBe(`WORKDIR ${gateway.workingDir}`);
    expect(instructions.pop()).toBe(`CMD ${JSON.stringify([...gateway.command, ...gateway.args]).replace(/","/g, '", "')}`);
  });
});

describe('tenant image asset', () => {
  test('cdk deploy builds it for linux/arm64 with the pinned build arguments and the cluster stack outputs its URI', () => {
    const platform = synthesizePlatform();
    const assembly = platform.app.synth();
    const stack = assembly.getStackArtifact(platform.stacks.cluster.artifactId);
    const manifest = stack.dependencies.find((d): d is cxapi.AssetManifestArtifact => d instanceof cxapi.AssetManifestArtifact)!;
    const images = Object.values<any>(manifest.contents.dockerImages ?? {});
    expect(images).toHaveLength(1);
    expect(images[0].source).toMatchObject({ platform: 'linux/arm64', dockerBuildArgs: TENANT_IMAGE_BUILD_ARGS });
    const output = platform.template(platform.stacks.cluster).toJSON().Outputs.TenantImageUri;
    expect(JSON.stringify(output.Value)).toContain('container-assets');
  });
});
