/**
 * Builds of the platform's tenant image. The platform config names the
 * repository and the platform image (`image.tag`, pinned by `image.digest`);
 * a tenant's registry record may name another build of the same repository
 * (its `image`), which is how a rollout moves tenants wave by wave and how an
 * operator holds one tenant back (docs/adr/0603). The repository never comes
 * from a record.
 */
import { ValidationError } from './validation';

export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** Tags registries move: a rollout to one of them would not be reproducible. */
const MOVING_IMAGE_TAGS: readonly string[] = ['latest', 'main', 'stable'];

export function imageTagProblem(tag: string): string | undefined {
  if (MOVING_IMAGE_TAGS.includes(tag)) return 'pin an exact version; moving tags make rollouts unreproducible';
  return IMAGE_TAG.test(tag) ? undefined : 'not a valid image tag';
}

export function imageDigestProblem(digest: string): string | undefined {
  return IMAGE_DIGEST.test(digest) ? undefined : 'not an image digest such as sha256:<64 hex digits>';
}

/** One build of the platform repository: a tag, a content digest, or both (at least one). */
export interface ImageBuild {
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Parses what an operator writes for a build: `<tag>`, `<tag>@sha256:…` or
 * `sha256:…`. A repository in front (`ghcr.io/x/y:tag`) is refused: builds
 * are always of the platform's repository.
 */
export function parseImageBuild(text: string): ImageBuild {
  const fail = (message: string): never => {
    throw new ValidationError('image', [{ path: '', message: `"${text}": ${message}` }]);
  };
  if (text.includes('/')) fail('give a tag and/or digest of the platform image (image.repository), not a repository');
  if (IMAGE_DIGEST.test(text)) return { digest: text };
  const at = text.indexOf('@');
  const tag = at < 0 ? text : text.slice(0, at);
  const digest = at < 0 ? undefined : text.slice(at + 1);
  const tagProblem = imageTagProblem(tag);
  if (tagProblem) fail(tagProblem);
  if (digest !== undefined) {
    const digestProblem = imageDigestProblem(digest);
    if (digestProblem) fail(digestProblem);
  }
  return digest === undefined ? { tag } : { tag, digest };
}

/** `<repository>:<tag>@<digest>`, `<repository>:<tag>` or `<repository>@<digest>`. */
export function imageReference(repository: string, build: ImageBuild): string {
  if (!build.tag && !build.digest) throw new Error('an image build needs a tag or a digest');
  return `${repository}${build.tag ? `:${build.tag}` : ''}${build.digest ? `@${build.digest}` : ''}`;
}

/** How an operator writes a build (`parseImageBuild`'s input form). */
export function imageBuildText(build: ImageBuild): string {
  return [build.tag, build.digest].filter(Boolean).join('@');
}

export function sameImageBuild(a: ImageBuild, b: ImageBuild): boolean {
  return (a.tag ?? '') === (b.tag ?? '') && (a.digest ?? '') === (b.digest ?? '');
}
