/** The user pool, as far as the tenant lifecycle writes to it. */
export interface UserDirectory {
  /** Records the claimed tenant id on the user (the admin-only `custom:tenant_id`). */
  recordTenantId(input: { userPoolId: string; userName: string; tenantId: string }): Promise<void>;
}
