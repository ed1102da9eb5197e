import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per process (Powertools, JSON lines); request and town ids are appended per request. */
export const logger = new Logger({ serviceName: 'gridline' });
