// The lambdas sources these tests import use dynalite, whose ambient types live in that package;
// an import cannot load an ambient module declaration, so a reference is the way to include it.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../lambdas/src/testing/dynalite.d.ts" />
