export { createApiHandler } from './api-server';
export { cronMatcher, zonedParts } from './cron';
export { assertJava, freePort, type RunningDynamo, startDynamo } from './dynamo';
export { startScheduler } from './scheduler';
export { countyIsEmpty, DEMO_PASSWORD, DEMO_TOWNS, type DemoLogin, seedDemoCounty } from './seed';
export { SECURITY_HEADERS, startLocalStack } from './stack';
