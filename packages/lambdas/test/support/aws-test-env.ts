/**
 * Every test that builds an AWS SDK client imports this first: fixed fake
 * credentials and region, so the SDK never walks its credential chain (which
 * would try the network, e.g. the instance metadata service).
 */
process.env.AWS_ACCESS_KEY_ID = 'local';
process.env.AWS_SECRET_ACCESS_KEY = 'local';
process.env.AWS_REGION = 'eu-west-1';
delete process.env.AWS_PROFILE;
// Keep Powertools quiet unless a test captures logs itself.
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT';
// Idempotency stays on: the tests exercise it against dynalite.
delete process.env.POWERTOOLS_IDEMPOTENCY_DISABLED;

export {};
