export * from './edge-server';
export * from './token-verifier';
export * from './upstream';
export { AUTH_UI_PAGES } from './auth-ui-site';
export type { AuthUiSiteOptions } from './auth-ui-site';
export type { TenantActivity, TenantActivityListener } from './tenant-activity';
