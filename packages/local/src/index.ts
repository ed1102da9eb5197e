export { createApiHandler } from './api-server';
export { cronMatcher, zonedParts } from './cron';
export { DEMO_BOOK_SIZES, type DemoBookOptions, demoBook, demoBookFile } from './demo-book';
export {
  answers as dynamoAnswers,
  assertJava,
  freePort,
  type RunningDynamo,
  type SupervisedDynamo,
  startDynamo,
  superviseDynamo,
} from './dynamo';
export { startScheduler } from './scheduler';
export { countyIsEmpty, DEMO_PASSWORD, DEMO_TOWNS, type DemoLogin, seedDemoCounty } from './seed';
export { type DemoResidents, seedDemoResidents } from './seed-people';
export { type DemoVisits, seedDemoVisits } from './seed-visits';
export { SECURITY_HEADERS, startLocalStack } from './stack';
