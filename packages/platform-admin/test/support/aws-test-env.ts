/**
 * Imported first by every test that builds AWS SDK clients: fixed fake
 * credentials and region, so the SDK never walks its credential chain (which
 * would try the network).
 */
process.env.AWS_ACCESS_KEY_ID = 'local';
process.env.AWS_SECRET_ACCESS_KEY = 'local';
process.env.AWS_REGION = 'eu-west-1';
delete process.env.AWS_PROFILE;
// The platform functions some tests run log through Powertools: quiet unless a test captures logs.
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT';

export {};
