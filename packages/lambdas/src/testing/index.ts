// `@openclaw-tenancy/lambdas/testing`: local stand-ins that run the real
// handlers off AWS (a Lambda Invoke endpoint, cognito-local, dynalite, a git
// smart-HTTP remote). Tests and the local platform use them; the deployed
// functions never do, so they stay out of the package's main entry point.
export * from './cognito-local-process';
export * from './free-port';
export * from './git-http-server';
export * from './lambda-invoke-server';
export * from './local-dynamodb';
export * from './test-git';
export * from './totp';
