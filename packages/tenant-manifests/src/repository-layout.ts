/**
 * Where things live in this monorepo checkout, found from this file so every
 * tool works from any working directory. The one place that knows the layout;
 * other packages import these paths instead of counting `..` themselves.
 */
import * as path from 'node:path';

/** The repository root (this file sits at `packages/tenant-manifests/src/`). */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The embedded default platform config, synthesized when no other file is named. */
export const EXAMPLE_PLATFORM_CONFIG = path.join(REPOSITORY_ROOT, 'config', 'platform.example.yaml');

/** The static sign-up / sign-in site's package. */
export const AUTH_UI_PACKAGE = path.join(REPOSITORY_ROOT, 'packages', 'auth-ui');

/** The built auth UI (`nx run auth-ui:build`), deployed to S3 and served by the local edge. */
export const AUTH_UI_DIST = path.join(AUTH_UI_PACKAGE, 'dist');

/** Git-ignored folder for benchmark results, one JSON file per benchmark. */
export const BENCH_RESULTS_DIR = path.join(REPOSITORY_ROOT, 'bench-results');

/** Git-ignored folder for screenshots and timings the browser tests leave for a person to look at. */
export const TEST_ARTIFACTS_DIR = path.join(REPOSITORY_ROOT, 'test-artifacts');
