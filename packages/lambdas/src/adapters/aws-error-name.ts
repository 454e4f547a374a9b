/** The `name` of an AWS SDK error (its service exception type), or undefined for anything else. */
export const awsErrorName = (e: unknown): string | undefined => (e as { name?: string } | null)?.name;
