import * as logs from 'aws-cdk-lib/aws-logs';

/** The shortest CloudWatch Logs retention that keeps logs at least `days` days (the API accepts fixed values only). */
export function retentionFor(days: number): logs.RetentionDays {
  if (!Number.isInteger(days) || days < 1) throw new Error(`a log retention must be a whole number of days >= 1, got ${days}`);
  const allowed = Object.values(logs.RetentionDays)
    .filter((v): v is number => typeof v === 'number' && v > 0)
    .sort((a, b) => a - b);
  const match = allowed.find((v) => v >= days);
  return (match ?? logs.RetentionDays.INFINITE) as logs.RetentionDays;
}
