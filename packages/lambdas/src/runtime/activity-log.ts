import type { Logger } from '@aws-lambda-powertools/logger';

/** What domain code logs through: the Powertools logger in Lambda, anything shaped like it elsewhere. */
export type ActivityLog = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
