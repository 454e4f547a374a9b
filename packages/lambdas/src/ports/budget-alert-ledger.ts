/**
 * Which budget alerts were sent, so each threshold is alerted once per tenant
 * and month. Sending is claim → notify → `markSent`: a claim is a lease, so
 * two overlapping runs never both send, and a run that died between the claim
 * and the notice (a crash, a timeout) does not lose the alert — the next run
 * takes the expired lease over and sends it.
 */
export interface BudgetAlertLedger {
  /**
   * Claims the right to send `thresholdPercent` for (tenant, month): false
   * when it was sent, or another run holds an unexpired claim.
   */
  claim(tenantId: string, month: string, thresholdPercent: number, at: Date): Promise<boolean>;
  /** Records the alert as sent (it is never claimed again that month). */
  markSent(tenantId: string, month: string, thresholdPercent: number, at: string): Promise<void>;
  /** Gives a claim back after the alert could not be sent, so the next run retries it at once. */
  release(tenantId: string, month: string, thresholdPercent: number): Promise<void>;
}
