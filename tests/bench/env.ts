/**
 * Imported first by run.ts, before any module that reads settings at import time (the Powertools
 * logger reads its level when it is constructed). The DynamoDB settings come later, once DynamoDB
 * Local is up: the data package reads them on first use.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR';
process.env.AWS_REGION = process.env.AWS_REGION ?? 'cn-north-1';
process.env.POWERTOOLS_METRICS_DISABLED = process.env.POWERTOOLS_METRICS_DISABLED ?? 'true';
