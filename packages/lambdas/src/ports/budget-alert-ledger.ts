/** Which budget alerts were sent, per tenant and month: the guard against sending one twice. */
export interface BudgetAlertLedger {
  /** Claims the right to send `thresholdPercent` for (tenant, month); false when it was claimed before. */
  claim(tenantId: string, month: string, thresholdPercent: number, at: string): Promise<boolean>;
  /** Gives a claim back after the alert could not be sent, so the next run retries it. */
  release(tenantId: string, month: string, thresholdPercent: number): Promise<void>;
}
